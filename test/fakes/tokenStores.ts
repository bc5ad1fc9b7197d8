import { SecretTokenStore } from '../../src/platform/secretTokenStore';
import type { StoredTokenMeta } from '../../src/platform/tokenStore';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { FakeMemento } from './fakeMemento';
import type * as vscode from 'vscode';
import { FakeSecretStorage } from './fakeSecretStorage';

export interface FakeStoreOptions {
  readonly secrets?: FakeSecretStorage;
  readonly state?: vscode.Memento;
  /** The token ledger's folder; without one, a temp folder removed when the store is disposed. */
  readonly ledgerDir?: string;
  readonly sessionOnly?: boolean | (() => boolean);
  readonly now?: () => number;
}

/** The real token store over in-memory SecretStorage and globalState and a ledger folder, as one window would open it. */
export function storeOverFakes(options: FakeStoreOptions = {}) {
  const secrets = options.secrets ?? new FakeSecretStorage();
  const state = options.state ?? new FakeMemento();
  const ledgerDir = options.ledgerDir ?? makeTempDir('token-ledger');
  const sessionOnly = options.sessionOnly;
  const errors: string[] = [];
  const store = new SecretTokenStore({
    secrets,
    state,
    ledgerDir,
    sessionOnly: typeof sessionOnly === 'function' ? sessionOnly : () => sessionOnly === true,
    graceMinutes: () => 60,
    ...(options.now === undefined ? {} : { now: options.now }),
    onError: (message) => errors.push(message),
  });
  if (options.ledgerDir === undefined) {
    const dispose = store.dispose.bind(store);
    store.dispose = () => {
      dispose();
      removeTempDir(ledgerDir);
    };
  }
  return { store, secrets, state, ledgerDir, errors };
}

/** Metadata of an issued token, for adding to a store. */
export function tokenMeta(overrides: Partial<Omit<StoredTokenMeta, 'id'>> = {}): Omit<StoredTokenMeta, 'id'> {
  const issuedAt = overrides.issuedAt ?? Date.now();
  return {
    context: 'fake',
    cluster: 'fake-cluster',
    server: 'https://127.0.0.1:6443',
    namespace: 'build',
    serviceAccount: 'ci-bot',
    audiences: ['https://kubernetes.default.svc'],
    issuedAt,
    expiresAt: issuedAt + 3_600_000,
    request: { namespace: 'build', serviceAccount: 'ci-bot', audiences: [] },
    ...overrides,
  } as Omit<StoredTokenMeta, 'id'>;
}
