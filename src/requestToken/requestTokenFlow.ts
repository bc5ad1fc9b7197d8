import vscode = require('vscode');
import type { UserAudiencePreset } from '../core/tokenRequest/audiencePresets';
import { formatDuration } from '../core/tokenRequest/duration';
import { isTokenError, TokenError, type TokenErrorCode } from '../core/errors';
import { summarizeIssuedToken } from '../core/token/issuedToken';
import { rememberAudiences } from '../core/tokenRequest/recentAudiences';
import { formatTime } from '../core/expiry/timeFormat';
import type { BoundObject } from '../core/tokenRequest/tokenRequest';
import { validateTokenRequestOptions } from '../core/tokenRequest/tokenRequest';
import { describeTokenRequestFailure, type ResumeStep, type TokenRequestFailureKind } from '../core/tokenRequest/tokenRequestFailure';
import { commandIds, configSection, settingIds, stateKeys } from '../constants';
import type { ClusterSession } from '../platform/clusterSession';
import type { Log } from '../platform/log';
import type { StoredTokenMeta, TokenStore } from '../platform/tokenStore';
import { MultiStepInput } from '../platform/multiStepInput';
import type { Prompter } from '../platform/prompter';
import { initialState, toRequestOptions, totalSteps, type RequestTokenState, type WizardTarget } from './requestTokenState';
import { isWorthResuming, RequestTokenSteps, type UnfinishedRequest } from './requestTokenSteps';
import { lifetimeRowsSentence, type LifetimeFigures } from '../core/token/lifetimeRows';
import type { InputPrompt, PickPrompt } from '../platform/prompter';
import { describeError } from '../core/logLine';

/**
 * Arguments of `saTokens.requestToken`: a service-account tree node ({context, namespace, name, uid,
 * annotations}) or, from another extension or a keybinding, {context?, namespace, serviceAccount}
 * plus preset answers. With preset answers the flow opens at Review (Back still reaches every step).
 */
export interface RequestTokenArgs {
  readonly context?: string;
  readonly namespace?: string;
  readonly serviceAccount?: string;
  /** Tree nodes call it `name`. */
  readonly name?: string;
  readonly uid?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly audiences?: readonly string[];
  readonly expirationSeconds?: number;
  readonly boundObject?: BoundObject;
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
  readonly fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  readonly pretty?: boolean;
}

/** What the command resolves with (never the token). */
export interface RequestTokenOutcome {
  readonly status: 'issued' | 'cancelled' | 'failed';
  readonly id?: string;
  readonly failure?: TokenRequestFailureKind;
  readonly code?: TokenErrorCode;
}

export interface RequestTokenFlowDeps {
  readonly session: ClusterSession;
  readonly store: TokenStore;
  readonly log: Log;
  /** globalState, for recently used audiences (not secrets). */
  readonly memento: vscode.Memento;
  readonly prompter: () => Prompter;
  readonly copyToken: (id: string) => Promise<void>;
}

interface Issued {
  readonly stored: StoredTokenMeta;
  readonly warnings: readonly string[];
  readonly explanations: readonly string[];
  readonly shortenedOrExtended: boolean;
  readonly lifetimes: LifetimeFigures;
}

export const actions = {
  editAndRetry: 'Edit and Retry',
  pickAgain: 'Pick Again',
  retry: 'Retry',
  switchContext: 'Switch Context',
  copyToken: 'Copy Token',
  inspect: 'Inspect',
} as const;

/** The Request Token command: collect answers (wizard), issue, explain, store; resume with the answers after an error. */
export class RequestTokenFlow {
  /** The last flow the user left before issuing, offered back next time. In memory only: answers, never a token. */
  private _unfinished: UnfinishedRequest | undefined;

  constructor(private readonly _deps: RequestTokenFlowDeps) {}

  async run(args: RequestTokenArgs | undefined): Promise<RequestTokenOutcome> {
    let stoppedAt = '';
    const shown = this._deps.prompter();
    // Remembers the prompt on screen, so an unfinished flow resumes where it stopped.
    const prompter: Prompter = {
      pick: <T>(prompt: PickPrompt<T>, token: vscode.CancellationToken) => {
        stoppedAt = prompt.id;
        return shown.pick(prompt, token);
      },
      input: (prompt: InputPrompt, token: vscode.CancellationToken) => {
        stoppedAt = prompt.id;
        return shown.input(prompt, token);
      },
      message: (...a) => shown.message(...a),
      status: (text) => shown.status(text),
      progress: (...a) => shown.progress(...a),
    };
    return this._run(args, prompter, () => stoppedAt);
  }

  private _leave(state: RequestTokenState, stoppedAt: string): void {
    if (isWorthResuming(state)) {
      const kept = structuredClone(state);
      delete kept.resumeAt;
      this._unfinished = { state: { ...kept, fromPalette: true }, stoppedAt };
    }
  }

  private async _run(args: RequestTokenArgs | undefined, prompter: Prompter, stoppedAt: () => string): Promise<RequestTokenOutcome> {
    let state: RequestTokenState;
    try {
      state = await this._initialState(args ?? {});
    } catch (e) {
      const message = isTokenError(e) ? `${e.message}${e.hint ? ` ${e.hint}` : ''}` : String(e);
      this._deps.log.error('Request Token: cannot start', e);
      void prompter.message('error', `Cannot request a token: ${message}`, {}, []);
      return { status: 'failed', ...(isTokenError(e) ? { code: e.code } : {}) };
    }
    const steps = new RequestTokenSteps({
      client: (context) => this._deps.session.clientFor(context),
      userPresets: () => vscode.workspace.getConfiguration(configSection).get<UserAudiencePreset[]>(settingIds.audiencePresets) ?? [],
      recentAudiences: () => this._recentAudiences(),
      copy: async (text) => {
        await vscode.env.clipboard.writeText(text);
      },
      longLifetimeWarningSeconds: () => Math.max(0, vscode.workspace.getConfiguration(configSection).get<number>(settingIds.longLifetimeWarningHours) ?? 24) * 3600,
      // Only the palette's flow asks for a namespace, so only it offers another account's answers back.
      unfinished: () => this._unfinished,
    });
    const presetAnswers = args !== undefined && (args.audiences !== undefined || args.expirationSeconds !== undefined || args.boundObject !== undefined);
    let target: WizardTarget = presetAnswers && !state.fromPalette ? 'review' : 'start';
    for (;;) {
      const wizard = new MultiStepInput(prompter, state, totalSteps);
      const { start, history } = steps.stepsFor(target, state);
      let result: 'done' | 'cancelled';
      try {
        result = await wizard.run(start, history);
      } finally {
        wizard.dispose();
      }
      if (result === 'cancelled') {
        this._deps.log.info(`Request Token cancelled (${state.namespace ?? '?'}/${state.serviceAccount ?? '?'}); nothing was issued.`);
        this._leave(state, stoppedAt());
        return { status: 'cancelled' };
      }
      if (state.resumeAt !== undefined) {
        // The user picked "Resume the last request": the state now holds its answers.
        target = state.resumeAt;
        delete state.resumeAt;
        continue;
      }
      for (;;) {
        try {
          const issued = await this._issue(prompter, state);
          this._unfinished = undefined;
          await this._announce(prompter, issued);
          return { status: 'issued', id: issued.stored.id };
        } catch (e) {
          const next = await this._onFailure(prompter, state, e);
          if (next === 'retry') {
            continue;
          }
          if (typeof next === 'object') {
            if (next.status !== 'issued') {
              this._leave(state, 'review');
            }
            return next;
          }
          target = next;
          break;
        }
      }
    }
  }

  private async _initialState(args: RequestTokenArgs): Promise<RequestTokenState> {
    const context = args.context ?? (await this._deps.session.client()).connectionInfo.contextName;
    const serviceAccount = args.serviceAccount ?? args.name;
    const fromPalette = args.namespace === undefined || serviceAccount === undefined;
    const state = initialState(context, fromPalette);
    if (!fromPalette) {
      state.namespace = args.namespace;
      state.serviceAccount = serviceAccount;
      if (args.uid !== undefined) {
        state.serviceAccountUid = args.uid;
      }
      state.annotations = args.annotations ?? (await this._lookupAnnotations(context, args.namespace!, serviceAccount!));
    }
    if (args.audiences !== undefined) {
      state.audiences = [...args.audiences];
      state.extraAudiences = [...args.audiences];
    }
    if (args.expirationSeconds !== undefined) {
      state.expirationSeconds = args.expirationSeconds;
    }
    if (args.boundObject !== undefined) {
      state.boundKind = args.boundObject.kind;
      state.boundObject = args.boundObject;
    }
    state.dryRun = args.dryRun === true;
    state.pretty = args.pretty === true;
    if (args.fieldManager !== undefined) {
      state.fieldManager = args.fieldManager;
    }
    if (args.fieldValidation !== undefined) {
      state.fieldValidation = args.fieldValidation;
    }
    state.advanced = state.dryRun || state.pretty || state.fieldManager !== undefined || state.fieldValidation !== undefined;
    return state;
  }

  /** Workload-identity annotations drive the audience suggestions; a failed lookup only costs suggestions. */
  private async _lookupAnnotations(context: string, namespace: string, name: string): Promise<Readonly<Record<string, string>>> {
    try {
      const client = await this._deps.session.clientFor(context);
      return (await client.getServiceAccount(namespace, name, { timeoutMs: 5000 })).annotations;
    } catch {
      return {};
    }
  }

  private async _issue(prompter: Prompter, state: RequestTokenState): Promise<Issued> {
    const options = toRequestOptions(state);
    // The lifetime is left to the server (the flow's own input already applies its rule), so a preset
    // lifetime from another extension gets the server's authoritative answer and "Edit and Retry".
    const problems = validateTokenRequestOptions(options).filter((p) => p.field !== 'expirationSeconds');
    if (problems.length > 0) {
      throw new TokenError('ERR_INPUT_INVALID', problems.map((p) => p.message).join(' '));
    }
    const client = await this._deps.session.clientFor(state.context);
    const target = `${options.namespace}/${options.serviceAccount}`;
    return prompter.progress(
      `Requesting a token for ${target}…`,
      async (cancel) => {
        const controller = new AbortController();
        const listener = cancel.onCancellationRequested(() => controller.abort());
        try {
          const requestStart = Date.now();
          const result = await client.createToken(options, { signal: controller.signal });
          const responseEnd = Date.now();
          const info = client.connectionInfo;
          const { meta, comparison } = summarizeIssuedToken(
            options,
            { token: result.token, spec: result.tokenRequest.spec, expirationTimestamp: result.tokenRequest.status.expirationTimestamp, ...(result.serverDate !== undefined ? { serverDate: result.serverDate } : {}) },
            { context: state.context, cluster: info.clusterName, server: info.server },
            { requestStart, responseEnd },
          );
          const stored = await this._deps.store.add(meta, result.token);
          if (options.audiences.length > 0) {
            await this._deps.memento.update(stateKeys.recentAudiences, rememberAudiences(this._recentAudiences(), options.audiences));
          }
          this._deps.log.info(`Issued token ${stored.id} for ${target} in context ${state.context} (HTTP ${result.httpStatus}; audiences ${meta.audiences.join(', ') || '(default)'}; expires ${new Date(meta.expiresAt).toISOString()}${options.dryRun === true ? '; dryRun=All' : ''}).`);
          for (const warning of result.warnings) {
            this._deps.log.warn(`Server warning for ${target}: ${warning}`);
          }
          return { stored, warnings: result.warnings, explanations: comparison.explanations, shortenedOrExtended: comparison.shortened || comparison.extended, lifetimes: comparison };
        } finally {
          listener.dispose();
        }
      },
      { cancellable: true },
    );
  }

  private async _announce(prompter: Prompter, issued: Issued): Promise<void> {
    const m = issued.stored;
    const now = Date.now();
    const lifetime = formatDuration(Math.round((m.expiresAt - m.issuedAt) / 1000));
    const parts = [`Token issued for ${m.namespace}/${m.serviceAccount} (context ${m.context}): valid ${lifetime}, expires ${formatTime(m.expiresAt, now).relative}.`, lifetimeRowsSentence(issued.lifetimes)];
    if (m.dryRun === true) {
      parts.push('It was requested with dryRun=All, yet the server minted a real, valid token: treat it like any other.');
    }
    parts.push(...issued.warnings.map((w) => `Server warning: ${w}.`), ...issued.explanations);
    void vscode.commands.executeCommand(commandIds.inspectToken, m.id);
    const severity = issued.warnings.length > 0 || issued.shortenedOrExtended ? 'warning' : 'info';
    void prompter.message(severity, parts.filter((p) => p !== '').join(' '), {}, [actions.copyToken, actions.inspect]).then(async (choice) => {
      if (choice === actions.copyToken) {
        await this._deps.copyToken(m.id);
      } else if (choice === actions.inspect) {
        await vscode.commands.executeCommand(commandIds.inspectToken, m.id);
      }
    });
  }

  /** Shows the failure; resolves with where to resume, 'retry', or the final outcome. */
  private async _onFailure(prompter: Prompter, state: RequestTokenState, e: unknown): Promise<'retry' | ResumeStep | RequestTokenOutcome> {
    if (!isTokenError(e)) {
      this._deps.log.error('Request Token failed unexpectedly', e);
      const choice = await prompter.message('error', `Requesting the token failed: ${describeError(e)}`, {}, [actions.editAndRetry]);
      return choice === actions.editAndRetry ? 'review' : { status: 'failed' };
    }
    if (e.code === 'ERR_CANCELLED') {
      this._deps.log.info('Token request cancelled; nothing was issued.');
      return { status: 'cancelled' };
    }
    let user: string | undefined;
    let server: string | undefined;
    try {
      const info = (await this._deps.session.clientFor(state.context)).connectionInfo;
      user = info.userName;
      server = info.server;
    } catch {
      // Only used to make the message more precise.
    }
    const failure = describeTokenRequestFailure(e, { options: toRequestOptions(state), contextName: state.context, ...(user !== undefined ? { userName: user } : {}), ...(server !== undefined ? { server } : {}) });
    this._deps.log.error(`Token request for ${state.namespace ?? '?'}/${state.serviceAccount ?? '?'} failed [${e.code}/${failure.kind}]`, e);
    const switchAvailable = failure.suggestSwitchContext && (await vscode.commands.getCommands(true)).includes(commandIds.switchContext);
    const choices = [
      ...(failure.pickAgain ? [actions.pickAgain] : []),
      actions.editAndRetry,
      ...(failure.retryable ? [actions.retry] : []),
      ...(switchAvailable ? [actions.switchContext] : []),
    ];
    const choice = await prompter.message('error', failure.message, {}, choices);
    switch (choice) {
      case actions.retry:
        return 'retry';
      case actions.pickAgain:
        delete state.boundObject;
        return 'bind';
      case actions.editAndRetry:
        return failure.resumeAt;
      case actions.switchContext:
        void vscode.commands.executeCommand(commandIds.switchContext);
        return { status: 'failed', failure: failure.kind, code: e.code };
      default:
        return { status: 'failed', failure: failure.kind, code: e.code };
    }
  }

  private _recentAudiences(): string[] {
    const value = this._deps.memento.get<unknown>(stateKeys.recentAudiences);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}
