// The two API servers every cluster test runs against: the real control plane (kube-apiserver built
// from the official modules, test/kube) and the sandbox test double, which must answer the same.
import { startControlPlane } from '../harness/controlPlane';
import { startSandbox, type RecordedRequest, type Sandbox, type SandboxOptions } from '../sandbox/sandbox';

export type ClusterKind = 'kube-apiserver' | 'sandbox';
export const clusterKinds: readonly ClusterKind[] = ['kube-apiserver', 'sandbox'];

/** What a test may use of either server. */
export interface TestCluster {
  readonly kind: ClusterKind;
  readonly url: string;
  readonly kubeconfigPath: string;
  readonly dataDir: string;
  readonly caPem: string;
  readonly adminToken: string;
  readonly contexts: Sandbox['contexts'];
  /** kubectl of the same release as the server (the real one), or the machine's kubectl (the sandbox). */
  readonly kubectl?: string;
  /** Requests as the sandbox recorded them; a real server records nothing. */
  readonly requests?: ReadonlyArray<RecordedRequest>;
  close(): Promise<void>;
}

/** Options both servers understand, spelled as the sandbox spells them. Both load the demo fixture. */
export type ClusterOptions = Pick<SandboxOptions, 'maxTokenExpirationSeconds' | 'extendTokenExpiration' | 'apiAudiences' | 'issuer'>;

export async function startCluster(kind: ClusterKind, options: ClusterOptions = {}): Promise<TestCluster> {
  if (kind === 'sandbox') {
    const sb = await startSandbox({ fixture: 'demo', ...options });
    return { ...sb, kind, url: sb.url, requests: sb.requests, close: () => sb.close() };
  }
  const cp = await startControlPlane({
    fixture: 'demo',
    ...(options.issuer ? { issuers: [options.issuer] } : {}),
    ...(options.apiAudiences ? { apiAudiences: options.apiAudiences } : {}),
    ...(options.maxTokenExpirationSeconds !== undefined ? { maxTokenExpirationSeconds: options.maxTokenExpirationSeconds } : {}),
    ...(options.extendTokenExpiration !== undefined ? { extendTokenExpiration: options.extendTokenExpiration } : {}),
  });
  return cp;
}

/** Polls until `check` returns a value (not undefined), for what a real server does asynchronously. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
