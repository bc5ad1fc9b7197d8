import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import vscode = require('vscode');
import { commandIds, contextKeys, productName, secretKeys } from '../constants';
import type { Services } from '../services';
import { ContextKey } from '../platform/contextKey';
import { tokenIdOf } from '../platform/tokenArg';
import { createSecretTokenStore, tokenLedgerDir } from '../platform/extensionTokenStore';
import type { StoredTokenMeta } from '../platform/tokenStore';
import type { Prompter } from '../platform/prompter';
import { QuickInputPrompter } from '../platform/quickInputPrompter';
import { RequestTokenFlow, type RequestTokenArgs, type RequestTokenOutcome } from './requestTokenFlow';

/** Test-only control of the feature (exposed through `api.testing` outside production mode). */
export interface RequestTokenTesting {
  /** Replaces the quick-input UI with a scripted one; `undefined` restores the real one. */
  setPrompter(prompter: Prompter | undefined): void;
  /**
   * Opens a second store over the same storage, as a window reload (or another window) would;
   * `sessionOnly` stands for the setting as that window reads it at its start.
   */
  reopenStore(options?: { readonly sessionOnly?: boolean }): ReopenedStore;
  /** What SecretStorage itself holds under a token's key, as a SHA-256 digest (no store in between). */
  storedSecretSha256(id: string): Promise<string | undefined>;
  /** The token ledger's folder (metadata files only). */
  readonly tokenLedgerDir: string;
  /** The extension host's log folder of this session (where the output channel's log file lives). */
  readonly logsDir: string;
  /** Everything this extension keeps in globalState, as JSON (to prove no token is in it). */
  globalStateJson(): string;
}

/** A store opened like after a reload; tokens are only ever seen as a SHA-256 digest. */
export interface ReopenedStore extends vscode.Disposable {
  /** Settles when the store's start-up work (migration, sweep, session-only) is done. */
  readonly ready: Promise<void>;
  list(): readonly StoredTokenMeta[];
  tokenSha256(id: string): Promise<string | undefined>;
}


function describe(meta: StoredTokenMeta, now: number): string {
  const left = meta.expiresAt - now;
  const when = left <= 0 ? 'expired' : `expires in ${Math.max(1, Math.round(left / 60_000))} min`;
  return `${meta.namespace}/${meta.serviceAccount} · ${meta.context} · ${when}`;
}

/** Registers Request Token, Copy Token, Forget Token and Forget All Tokens. */
export function register(context: vscode.ExtensionContext, services: Services): RequestTokenTesting {
  const production = new QuickInputPrompter();
  let override: Prompter | undefined;
  const prompter = () => override ?? production;

  const copyToken = async (id: string) => {
    const token = await services.tokenStore.getToken(id);
    if (token === undefined) {
      void prompter().message('error', 'That token is no longer stored (forgotten, pruned after expiry, or kept for a session that ended). Request a new one.', {}, []);
      return;
    }
    await vscode.env.clipboard.writeText(token);
    prompter().status('$(key) Token copied to the clipboard');
  };

  /** The token a command acts on: its argument, or one picked from the store. */
  const resolveToken = async (arg: unknown, title: string): Promise<StoredTokenMeta | undefined> => {
    const id = tokenIdOf(arg);
    if (id !== undefined) {
      const meta = services.tokenStore.get(id);
      if (meta === undefined) {
        void prompter().message('error', 'That token is no longer stored.', {}, []);
      }
      return meta;
    }
    const tokens = services.tokenStore.list();
    if (tokens.length === 0) {
      void prompter().message('info', `No tokens are stored. Use "${productName}: Request Token…" to issue one.`, {}, []);
      return undefined;
    }
    const source = new vscode.CancellationTokenSource();
    try {
      const now = Date.now();
      const answer = await prompter().pick<StoredTokenMeta>({
        id: 'storedToken',
        title,
        step: 1,
        totalSteps: 1,
        showBack: false,
        placeholder: 'Pick a stored token',
        matchOnDescription: true,
        items: tokens.map((t) => ({ label: `${t.namespace}/${t.serviceAccount}`, description: describe(t, now), detail: t.audiences.length > 0 ? `audiences: ${t.audiences.join(', ')}` : undefined, value: t })),
      }, source.token);
      return answer.kind === 'pick' ? answer.items[0]?.value : undefined;
    } finally {
      source.dispose();
    }
  };

  const tokenIssued = new ContextKey<boolean>(contextKeys.tokenIssued);
  const flow = new RequestTokenFlow({ session: services.session, store: services.tokenStore, log: services.log, memento: context.globalState, prompter, copyToken });

  context.subscriptions.push(
    vscode.commands.registerCommand(commandIds.requestToken, async (args?: RequestTokenArgs): Promise<RequestTokenOutcome> => {
      const outcome = await flow.run(args);
      if (outcome.status === 'issued') {
        void tokenIssued.set(true);
      }
      return outcome;
    }),
    vscode.commands.registerCommand(commandIds.copyToken, async (arg?: unknown) => {
      const meta = await resolveToken(arg, 'Copy Token');
      if (meta !== undefined) {
        await copyToken(meta.id);
      }
    }),
    vscode.commands.registerCommand(commandIds.forgetToken, async (arg?: unknown) => {
      const meta = await resolveToken(arg, 'Forget Token');
      if (meta !== undefined) {
        await services.tokenStore.forget(meta.id);
        services.log.info(`Forgot token ${meta.id} (${meta.namespace}/${meta.serviceAccount}, context ${meta.context}).`);
        prompter().status(`$(trash) Forgot the token for ${meta.namespace}/${meta.serviceAccount}`);
      }
    }),
    vscode.commands.registerCommand(commandIds.forgetAllTokens, async (): Promise<boolean> => {
      const count = services.tokenStore.list().length;
      if (count === 0) {
        void prompter().message('info', 'No tokens are stored.', {}, []);
        return false;
      }
      const forgetAll = 'Forget All';
      const choice = await prompter().message(
        'warning',
        `Forget all ${count} stored token${count === 1 ? '' : 's'}?`,
        { modal: true, detail: 'They are removed from VS Code\'s secret storage. Forgetting does not revoke them: each stays valid until it expires or its bound object is deleted.' },
        [forgetAll],
      );
      if (choice !== forgetAll) {
        return false;
      }
      await services.tokenStore.forgetAll();
      services.log.info(`Forgot all ${count} stored tokens.`);
      prompter().status(`$(trash) Forgot all ${count} stored token${count === 1 ? '' : 's'}`);
      return true;
    }),
  );

  return {
    setPrompter(p) {
      override = p;
    },
    reopenStore(options = {}) {
      const { sessionOnly } = options;
      const second = createSecretTokenStore(context, undefined, sessionOnly === undefined ? {} : { sessionOnly: () => sessionOnly });
      return {
        ready: second.ready,
        list: () => second.list(),
        tokenSha256: async (id) => {
          const token = await second.getToken(id);
          return token === undefined ? undefined : createHash('sha256').update(token).digest('hex');
        },
        dispose: () => second.dispose(),
      };
    },
    storedSecretSha256: async (id) => {
      const token = await context.secrets.get(secretKeys.tokenPrefix + id);
      return token === undefined ? undefined : createHash('sha256').update(token).digest('hex');
    },
    tokenLedgerDir: tokenLedgerDir(context),
    logsDir: dirname(context.logUri.fsPath),
    globalStateJson: () => JSON.stringify(Object.fromEntries(context.globalState.keys().map((k) => [k, context.globalState.get(k)]))),
  };
}
