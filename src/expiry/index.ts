import vscode = require('vscode');
import { commandIds, configSection, contextKeys, settingIds } from '../constants';
import type { Services } from '../services';
import { ContextKey } from '../platform/contextKey';
import { tokenIdOf } from '../platform/tokenArg';
import type { SchedulerClock } from '../core/expiry/expiryScheduler';
import type { ExpiryStatus } from '../core/expiry/expiryStatus';
import { trackedTokenItems } from '../core/expiry/trackedTokenItems';
import type { ExpirySettings } from '../core/expiry/trackedTokens';
import { ExpiryStatusBar } from './expiryStatusBar';
import { ExpiryFeature, tokenLabel } from './expiryFeature';
import type { RenewOutcome } from './expiryFeature';
import type { Prompter } from '../platform/prompter';
import { QuickInputPrompter } from '../platform/quickInputPrompter';
import { pickTrackedToken } from './trackedTokenPick';
import { ExpiryTracker } from './expiryTracker';
import { systemClock } from '../platform/systemClock';
import { TokenRenewer } from './tokenRenewer';
import { FileRenewalLeases } from '../platform/renewalLeases';
import { tokenLedgerDir } from '../platform/extensionTokenStore';
import { requestTimeoutMs } from '../platform/kubeClusterSession';

/** Development-mode only, undeclared: seconds added to the expiry clock (UI checks jump time with it). */
export const testClockOffsetSetting = 'test.expiryClockOffsetSeconds';

/** Read-only view of expiry tracking on the extension API (tests, benchmarks). Never a token. */
export interface ExpiryApi {
  readonly statusBar: {
    /** What the status bar item shows now (text, Markdown tooltip, background colour id, visibility). */
    readonly state: ExpiryStatus;
    readonly onDidChange: vscode.Event<ExpiryStatus>;
  };
  /** Timer wake-ups of the one expiry scheduler so far, and when it next wakes (local ms, offset clock). */
  readonly scheduler: { readonly wakeUps: number; readonly nextWakeAt: number | undefined };
  /** Test-only hooks (outside production mode): shift the expiry clock (a wall-clock jump) and script the pop-ups. */
  readonly testing?: {
    setClockOffset(ms: number): void;
    setPrompter(prompter: Prompter | undefined): void;
  };
}


/** Expiry tracking: the status bar item, the one scheduler, warnings, renewal and auto-renew, and their commands. */
export function register(context: vscode.ExtensionContext, services: Services): ExpiryApi {
  let offsetMs = 0;
  const clock: SchedulerClock = { ...systemClock, now: () => Date.now() + offsetMs };
  const settings = (): ExpirySettings => {
    const minutes = vscode.workspace.getConfiguration(configSection).get<number | null>(settingIds.expiryWarningMinutes);
    return { warningMinutes: typeof minutes === 'number' ? minutes : undefined };
  };
  const production = new QuickInputPrompter();
  let testPrompter: Prompter | undefined;
  const prompter = () => testPrompter ?? production;

  const statusBar = new ExpiryStatusBar();
  const autoRenewOn = new ContextKey<boolean>(contextKeys.autoRenewOn);
  const tokenRenewed = new ContextKey<boolean>(contextKeys.tokenRenewed);
  const tracker = new ExpiryTracker(services.tokenStore, clock, settings);
  // One lease owner per window: the windows of a profile share SecretStorage, so only one of them renews a token.
  const leases = new FileRenewalLeases({ dir: tokenLedgerDir(context), now: clock.now, requestTimeoutMs });
  const renewer = new TokenRenewer(services.tokenStore, services.session, clock.now, leases);
  const feature = new ExpiryFeature(services.tokenStore, tracker, renewer, prompter, services.log, {
    copyToClipboard: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    requestNewToken: async (meta) => {
      await vscode.commands.executeCommand(commandIds.requestToken, { context: meta.context, namespace: meta.namespace, serviceAccount: meta.serviceAccount, name: meta.serviceAccount });
    },
  });
  statusBar.state = tracker.status;

  const pickId = async (arg: unknown): Promise<string | undefined> => {
    const id = tokenIdOf(arg);
    if (id !== undefined) {
      return id;
    }
    const tokens = services.tokenStore.list();
    if (tokens.length === 0) {
      void prompter().message('info', 'No tokens are tracked. Request one from the Service Accounts view first.', {}, []);
      return undefined;
    }
    const choice = await pickTrackedToken(prompter(), trackedTokenItems(tokens, clock.now(), settings()));
    return choice?.id;
  };

  const toggleAutoRenew = async (id: string): Promise<boolean | undefined> => {
    const meta = services.tokenStore.get(id);
    if (meta === undefined) {
      void prompter().message('warning', 'This token is no longer tracked.', {}, []);
      return undefined;
    }
    const on = meta.autoRenew !== true;
    await services.tokenStore.update(id, { autoRenew: on });
    if (on) {
      void autoRenewOn.set(true);
    }
    tracker.setRenewOverride(id, undefined); // a fresh start: turning it back on retries at once if due
    prompter().status(on
      ? `$(history) Auto-renew is on for the token of ${tokenLabel(meta)}: it is re-issued at 80 % of its lifetime.`
      : `$(circle-slash) Auto-renew is off for the token of ${tokenLabel(meta)}.`);
    return on;
  };

  const renew = async (id: string, copy = false): Promise<RenewOutcome> => {
    const outcome = await feature.renewInteractive(id, copy);
    if (outcome.ok) {
      void tokenRenewed.set(true);
    }
    return outcome;
  };

  const openToken = async (id: string): Promise<void> => {
    await vscode.commands.executeCommand(commandIds.inspectToken, id);
  };

  context.subscriptions.push(
    statusBar,
    tracker,
    feature,
    tracker.onDidChangeStatus((status) => {
      statusBar.state = status;
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${configSection}.${settingIds.expiryWarningMinutes}`)) {
        tracker.sync(true);
      }
    }),
    // Focus coming back is the closest thing to a resume event the extension host offers.
    vscode.window.onDidChangeWindowState((e) => {
      if (e.focused) {
        tracker.replan();
      }
    }),
    // Second argument `{ copy: true }`: also put the new token on the clipboard (what "Copy New Token" does).
    vscode.commands.registerCommand(commandIds.renewToken, async (arg?: unknown, options?: { readonly copy?: boolean }): Promise<RenewOutcome | undefined> => {
      const id = await pickId(arg);
      return id === undefined ? undefined : renew(id, options?.copy === true);
    }),
    vscode.commands.registerCommand(commandIds.toggleAutoRenew, async (arg?: unknown): Promise<boolean | undefined> => {
      const id = await pickId(arg);
      return id === undefined ? undefined : toggleAutoRenew(id);
    }),
    vscode.commands.registerCommand(commandIds.showTrackedTokens, async (): Promise<void> => {
      const tokens = services.tokenStore.list();
      if (tokens.length === 0) {
        void prompter().message('info', 'No tokens are tracked. Request one from the Service Accounts view first.', {}, []);
        return;
      }
      const choice = await pickTrackedToken(prompter(), trackedTokenItems(tokens, clock.now(), settings()));
      if (choice === undefined) {
        return;
      }
      if (choice.action === 'renew') {
        await renew(choice.id);
      } else if (choice.action === 'toggleAutoRenew') {
        await toggleAutoRenew(choice.id);
      } else {
        await openToken(choice.id);
      }
    }),
  );

  if (services.testHooks) {
    // UI checks (Chromium) cannot reach the API object; in development mode an undeclared setting shifts the clock.
    const readOffset = () => {
      const seconds = vscode.workspace.getConfiguration(configSection).get<number>(testClockOffsetSetting);
      offsetMs = typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : 0;
      tracker.replan();
    };
    if (vscode.workspace.getConfiguration(configSection).get<number>(testClockOffsetSetting) !== undefined) {
      readOffset();
    }
    context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${configSection}.${testClockOffsetSetting}`)) {
        readOffset();
      }
    }));
  }

  const api: ExpiryApi = {
    statusBar: { get state() { return statusBar.state; }, onDidChange: statusBar.onDidChangeState },
    scheduler: { get wakeUps() { return tracker.wakeUps; }, get nextWakeAt() { return tracker.nextWakeAt; } },
  };
  if (!services.testHooks) {
    return api;
  }
  return {
    ...api,
    testing: {
      setClockOffset(ms: number) {
        offsetMs = ms;
        tracker.replan();
      },
      setPrompter(p: Prompter | undefined) {
        testPrompter = p;
      },
    },
  };
}
