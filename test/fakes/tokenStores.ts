import { SecretTokenStore } from '../../src/platform/secretTokenStore';
import type { StoredTokenMeta } from '../../src/platform/tokenStore';
import { FakeMemento } from './fakeMemento';
import { FakeSecretStorage } from './fakeSecretStorage';

/** The real token store over in-memory SecretStorage and globalState, as one window would open it. */
export function storeOverFakes(options: { secrets?: FakeSecretStorage; state?: FakeMemento; sessionOnly?: boolean; now?: () => number } = {}) {
  const secrets = options.secrets ?? new FakeSecretStorage();
  const state = options.state ?? new FakeMemento();
  const errors: string[] = [];
  const store = new SecretTokenStore({
    secrets,
    state,
    sessionOnly: () => options.sessionOnly === true,
    graceMinutes: () => 60,
    ...(options.now === undefined ? {} : { now: options.now }),
    onError: (message) => errors.push(message),
  });
  return { store, secrets, state, errors };
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
