import type * as vscode from 'vscode';
import type { InputAnswer, InputPrompt, MessageOptions, MessageSeverity, PickAnswer, PickPrompt, Prompter, PromptItem } from '../../src/platform/prompter';

export interface SeenPrompt {
  readonly kind: 'pick' | 'input';
  readonly id: string;
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly placeholder?: string;
  readonly showBack: boolean;
  readonly buttons: string[];
  readonly items: PromptItem<unknown>[];
  /** An input's pre-filled value, or a pick's pre-filled filter text. */
  readonly value?: string;
  readonly validate?: (value: string) => string | undefined;
}

/** A cancellation token nobody cancels (a user who waits for the progress to finish). */
export const neverCancelled: vscode.CancellationToken = {
  isCancellationRequested: false,
  onCancellationRequested: () => ({ dispose: () => undefined }),
};

export type Answer = (prompt: SeenPrompt) => PickAnswer<unknown> | InputAnswer | Promise<PickAnswer<unknown> | InputAnswer>;

export interface SeenMessage {
  readonly severity: MessageSeverity;
  readonly text: string;
  readonly options: MessageOptions;
  readonly actions: readonly string[];
}

function matches(item: PromptItem<unknown>, label: string): boolean {
  return item.kind !== 'separator' && (item.label === label || item.label.replace(/^\$\([\w-]+\)\s*/, '') === label);
}

/** Picks the items with these labels (codicon prefixes ignored). */
export function pick(...labels: string[]): Answer {
  return (p) => {
    const items = labels.map((l) => {
      const found = p.items.find((i) => matches(i, l));
      if (found === undefined) {
        throw new Error(`Prompt "${p.id}" has no item "${l}": ${p.items.map((i) => i.label).join(' | ')}`);
      }
      return found;
    });
    return { kind: 'pick', items };
  };
}

/** Accepts what is pre-selected (Back keeps answers: this is how a test re-accepts them). */
export function acceptPicked(): Answer {
  return (p) => ({ kind: 'pick', items: p.items.filter((i) => i.picked === true) });
}

/** Types `filter` in the pick's box, then picks the items with these labels (as a user accepting a filtered row). */
export function typeAndPick(filter: string, ...labels: string[]): Answer {
  return async (p) => ({ ...(await pick(...labels)(p)) as { kind: 'pick'; items: readonly PromptItem<unknown>[] }, filter });
}

export function text(value: string): Answer {
  return () => ({ kind: 'text', text: value });
}

export function back(): Answer {
  return () => ({ kind: 'back' });
}

export function cancel(): Answer {
  return () => ({ kind: 'cancel' });
}

export function button(id: string): Answer {
  return () => ({ kind: 'button', id });
}

/** Runs `effect` first (e.g. mutate the cluster), then answers with `answer`. */
export function after(effect: (p: SeenPrompt) => Promise<void> | void, answer: Answer): Answer {
  return async (p) => {
    await effect(p);
    return answer(p);
  };
}

/**
 * A Prompter driven by a script: one queue of answers per prompt id, consumed in order. Every prompt
 * and message is recorded. A prompt without a scripted answer cancels the flow and is recorded in
 * `unexpected`, so a test fails instead of hanging.
 */
export class ScriptedPrompter implements Prompter {
  readonly prompts: SeenPrompt[] = [];
  readonly messages: SeenMessage[] = [];
  /** Status-bar confirmations, in order. */
  readonly statuses: string[] = [];
  /** Titles of the progress notifications shown, in order. */
  readonly progressTitles: string[] = [];
  readonly unexpected: string[] = [];
  private readonly _script: Map<string, Answer[]>;

  constructor(script: Record<string, Answer | Answer[]>, private readonly _onMessage: (m: SeenMessage) => string | undefined = () => undefined) {
    this._script = new Map(Object.entries(script).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
  }

  async pick<T>(prompt: PickPrompt<T>, token: vscode.CancellationToken): Promise<PickAnswer<T>> {
    const items = typeof prompt.items === 'function' ? await prompt.items(token) : prompt.items;
    const seen: SeenPrompt = {
      kind: 'pick', id: prompt.id, title: prompt.title, step: prompt.step ?? 0, totalSteps: prompt.totalSteps ?? 0, showBack: prompt.showBack,
      buttons: (prompt.buttons ?? []).map((b) => b.id), items: [...items] as PromptItem<unknown>[],
      ...(prompt.placeholder !== undefined ? { placeholder: prompt.placeholder } : {}),
      ...(prompt.value !== undefined ? { value: prompt.value } : {}),
    };
    return (await this._answer(seen)) as PickAnswer<T>;
  }

  async input(prompt: InputPrompt): Promise<InputAnswer> {
    const seen: SeenPrompt = {
      kind: 'input', id: prompt.id, title: prompt.title, step: prompt.step ?? 0, totalSteps: prompt.totalSteps ?? 0, showBack: prompt.showBack,
      buttons: (prompt.buttons ?? []).map((b) => b.id), items: [],
      ...(prompt.placeholder !== undefined ? { placeholder: prompt.placeholder } : {}),
      ...(prompt.value !== undefined ? { value: prompt.value } : {}),
      ...(prompt.validate !== undefined ? { validate: prompt.validate } : {}),
    };
    return (await this._answer(seen)) as InputAnswer;
  }

  async message(severity: MessageSeverity, textValue: string, options: MessageOptions, actions: readonly string[]): Promise<string | undefined> {
    const m = { severity, text: textValue, options, actions };
    this.messages.push(m);
    return this._onMessage(m);
  }

  status(text: string): void {
    this.statuses.push(text);
  }

  progress<T>(title: string, task: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
    this.progressTitles.push(title);
    return task(neverCancelled);
  }

  /** Ids of the prompts shown, in order. */
  get ids(): string[] {
    return this.prompts.map((p) => p.id);
  }

  last(id: string): SeenPrompt {
    const found = [...this.prompts].reverse().find((p) => p.id === id);
    if (found === undefined) {
      throw new Error(`No "${id}" prompt was shown (shown: ${this.ids.join(', ')})`);
    }
    return found;
  }

  private async _answer(seen: SeenPrompt): Promise<PickAnswer<unknown> | InputAnswer> {
    this.prompts.push(seen);
    const next = this._script.get(seen.id)?.shift();
    if (next === undefined) {
      this.unexpected.push(`${seen.id} (step ${seen.step}/${seen.totalSteps})`);
      return { kind: 'cancel' };
    }
    return next(seen);
  }
}

/** Runs the command with a scripted prompter installed. */
