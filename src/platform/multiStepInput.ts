import type * as vscode from 'vscode';
import { CancellationSource } from './events';
import type { InputPrompt, PickPrompt, Prompter, PromptItem } from './prompter';

/**
 * A step collects one answer into the shared state and returns the next step (or nothing to finish).
 * Adapted from microsoft/vscode-extension-samples quickinput-sample/src/multiStepInput.ts, with its
 * gaps fixed: answers live in the shared state so Back re-opens a step pre-filled; a
 * CancellationToken reaches every lookup; "resume" re-runs the current step and always settles.
 */
export type Step<S> = (input: MultiStepInput<S>) => Promise<Step<S> | undefined>;

class FlowAction {
  private constructor(readonly name: string) {}
  static readonly back = new FlowAction('back');
  static readonly cancel = new FlowAction('cancel');
  static readonly resume = new FlowAction('resume');
}

export type FlowResult = 'done' | 'cancelled';

type StepPrompt<P> = Omit<P, 'showBack' | 'totalSteps'>;

export class MultiStepInput<S> implements vscode.Disposable {
  private readonly _cts = new CancellationSource();
  private readonly _steps: Step<S>[] = [];
  private _placeholderOverride: string | undefined;

  constructor(
    private readonly _prompter: Prompter,
    readonly state: S,
    private readonly _totalSteps: (state: S) => number,
  ) {}

  /** Cancelled on Esc and on dispose: pass it (as an AbortSignal) to every cluster lookup. */
  get token(): vscode.CancellationToken {
    return this._cts.token;
  }

  /** An AbortSignal tied to {@link token}, for the cluster layer. */
  signal(): AbortSignal {
    const controller = new AbortController();
    if (this._cts.token.isCancellationRequested) {
      controller.abort();
    } else {
      const listener = this._cts.token.onCancellationRequested(() => {
        listener.dispose();
        controller.abort();
      });
    }
    return controller.signal;
  }

  /**
   * Runs the flow from `start`. `history` are steps to put under it, so Back works when a flow is
   * resumed in the middle (e.g. "Edit and Retry" after an error).
   */
  async run(start: Step<S>, history: readonly Step<S>[] = []): Promise<FlowResult> {
    this._steps.splice(0, this._steps.length, ...history);
    let step: Step<S> | undefined = start;
    while (step !== undefined) {
      this._steps.push(step);
      try {
        step = await step(this);
      } catch (err) {
        if (err === FlowAction.back) {
          this._steps.pop();
          step = this._steps.pop();
        } else if (err === FlowAction.resume) {
          step = this._steps.pop();
        } else if (err === FlowAction.cancel) {
          this._cts.cancel();
          return 'cancelled';
        } else {
          throw err;
        }
      }
    }
    return 'done';
  }

  /** Throw from a step to re-run it (after a button that changed the state, say). */
  resume(message?: string): never {
    this._placeholderOverride = message;
    throw FlowAction.resume;
  }

  /** Shows a pick; Back and Esc unwind the flow. Disabled items cannot be accepted: the step re-opens with the reason. */
  async pick<T>(prompt: StepPrompt<PickPrompt<T>>): Promise<{ kind: 'pick'; items: readonly PromptItem<T>[]; values: T[]; filter: string } | { kind: 'button'; id: string }> {
    const answer = await this._prompter.pick<T>(this._decorate(prompt), this._cts.token);
    if (answer.kind === 'back') {
      throw FlowAction.back;
    }
    if (answer.kind === 'cancel' || this._cts.token.isCancellationRequested) {
      throw FlowAction.cancel;
    }
    if (answer.kind === 'button' || answer.kind === 'itemButton') {
      return { kind: 'button', id: answer.id };
    }
    const disabled = answer.items.find((i) => i.disabledReason !== undefined);
    if (disabled !== undefined) {
      this.resume(`${disabled.label}: ${disabled.disabledReason}`);
    }
    return { kind: 'pick', items: answer.items, values: answer.items.flatMap((i) => (i.value === undefined ? [] : [i.value])), filter: answer.filter ?? '' };
  }

  async input(prompt: StepPrompt<InputPrompt>): Promise<{ kind: 'text'; text: string } | { kind: 'button'; id: string }> {
    const answer = await this._prompter.input(this._decorate(prompt), this._cts.token);
    if (answer.kind === 'back') {
      throw FlowAction.back;
    }
    if (answer.kind === 'cancel' || this._cts.token.isCancellationRequested) {
      throw FlowAction.cancel;
    }
    if (answer.kind === 'text' && prompt.validate?.(answer.text) !== undefined) {
      // A scripted or racing answer that skipped live validation: ask again, showing why.
      this.resume(prompt.validate(answer.text));
    }
    return answer;
  }

  /** Cancels lookups still running (e.g. the flow was abandoned). */
  dispose(): void {
    this._cts.cancel();
    this._cts.dispose();
  }

  private _decorate<P extends { placeholder?: string }>(prompt: P): P & { showBack: boolean; totalSteps: number } {
    const override = this._placeholderOverride;
    this._placeholderOverride = undefined;
    return {
      ...prompt,
      ...(override !== undefined ? { placeholder: override } : {}),
      showBack: this._steps.length > 1,
      totalSteps: this._totalSteps(this.state),
    };
  }
}
