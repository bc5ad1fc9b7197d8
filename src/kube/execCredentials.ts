/**
 * Exec credential plugins as client-go runs them (k8s.io/client-go/plugin/pkg/client/auth/exec):
 * KUBERNETES_EXEC_INFO in the environment, the answer's apiVersion must be the configured one, the
 * credential is kept until its expirationTimestamp (or until the server answers 401), and one run at a
 * time serves every waiting request. Unlike client-node's runner, a plugin that hangs is killed when the
 * request's timeout ends or when every request waiting for it is cancelled.
 */
import { spawn } from 'node:child_process';

type Json = Record<string, unknown>;

/** The credential a plugin answered with. */
export type ExecCredential =
  | { readonly token: string; readonly expiresAt?: number }
  | { readonly clientCertificateData: string; readonly clientKeyData: string; readonly expiresAt?: number };

/** What KUBERNETES_EXEC_INFO's spec.cluster holds when provideClusterInfo is set. */
export interface ExecClusterInfo {
  readonly server: string;
  readonly 'tls-server-name'?: string;
  readonly 'insecure-skip-tls-verify'?: boolean;
  readonly 'certificate-authority-data'?: string;
  readonly 'proxy-url'?: string;
  readonly 'disable-compression'?: boolean;
  readonly config?: unknown;
}

export const execApiVersions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;
const interactiveModes = ['Never', 'IfAvailable', 'Always'];

/** What clientcmd's validateAuthInfo says of an exec entry; undefined when kubectl would run it. */
export function execConfigProblem(exec: Json): { field: string; problem: string } | undefined {
  if (typeof exec.command !== 'string' || exec.command === '') {
    return { field: 'exec.command', problem: 'is required' };
  }
  const apiVersion = exec.apiVersion;
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    return { field: 'exec.apiVersion', problem: `is required (${execApiVersions.join(' or ')})` };
  }
  if (!(execApiVersions as readonly string[]).includes(apiVersion)) {
    return { field: 'exec.apiVersion', problem: `"${apiVersion}" is not supported (use ${execApiVersions.join(' or ')})` };
  }
  const mode = exec.interactiveMode;
  if (mode === undefined || mode === null || mode === '') {
    if (apiVersion === 'client.authentication.k8s.io/v1') {
      return { field: 'exec.interactiveMode', problem: 'is required with client.authentication.k8s.io/v1 (Never, IfAvailable or Always)' };
    }
  } else if (typeof mode !== 'string' || !interactiveModes.includes(mode)) {
    return { field: 'exec.interactiveMode', problem: `"${String(mode)}" is not one of ${interactiveModes.join(', ')}` };
  }
  return undefined;
}

/** One kubeconfig user's plugin: runs it when no credential is held, shares each run between callers. */
export class ExecCredentialSource {
  private _held?: ExecCredential;
  private _run?: { readonly promise: Promise<ExecCredential>; waiters: number; kill(): void };

  constructor(
    private readonly _exec: Json,
    private readonly _cluster: ExecClusterInfo,
    private readonly _now: () => number = Date.now,
  ) {}

  /** The held credential while it is valid, else a (shared) run of the plugin. */
  async get(timeoutMs: number, signal?: AbortSignal): Promise<ExecCredential> {
    if (this._exec.interactiveMode === 'Always') {
      // As kubectl without a terminal: it would wait for input nobody can give.
      throw new Error('it needs a terminal (interactiveMode: Always), which the extension cannot give it. Run it once in a terminal, or set interactiveMode: IfAvailable');
    }
    const held = this._held;
    if (held !== undefined && (held.expiresAt === undefined || held.expiresAt > this._now())) {
      return held;
    }
    const run = (this._run ??= this._start(timeoutMs));
    run.waiters++;
    try {
      return await waitOrAbort(run.promise, signal, () => {
        // The last caller gave up: nobody needs the plugin any more.
        if (--run.waiters === 0) {run.kill();}
      });
    } finally {
      if (!signal?.aborted) {run.waiters--;}
    }
  }

  /** After a 401: forget the credential so the next request runs the plugin. True when one was held. */
  invalidate(): boolean {
    const had = this._held !== undefined;
    this._held = undefined;
    return had;
  }

  private _start(timeoutMs: number): { promise: Promise<ExecCredential>; waiters: number; kill(): void } {
    const command = String(this._exec.command);
    const args = Array.isArray(this._exec.args) ? this._exec.args.map(String) : [];
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const e of Array.isArray(this._exec.env) ? (this._exec.env as Json[]) : []) {
      if (typeof e.name === 'string') {env[e.name] = String(e.value ?? '');}
    }
    env.KUBERNETES_EXEC_INFO = JSON.stringify(this._execInfo());
    // No terminal is ours to lend: stdin is closed, as client-go does when not interactive.
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let killedBecause: string | undefined;
    const kill = (why: string) => {
      killedBecause ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`it did not answer within ${Math.round(timeoutMs / 100) / 10} s and was stopped`), timeoutMs);
    const promise = new Promise<ExecCredential>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', reject);
      child.once('close', (code) => {
        if (killedBecause !== undefined) {
          reject(new Error(killedBecause));
        } else if (code !== 0) {
          reject(new Error(stderr.trim() || `it exited with code ${code}`));
        } else {
          try {
            resolve(this._parse(stdout));
          } catch (e) {
            reject(e);
          }
        }
      });
    }).finally(() => {
      clearTimeout(timer);
      this._run = undefined;
    });
    promise.then((credential) => (this._held = credential), () => undefined);
    return { promise, waiters: 0, kill: () => kill('it was cancelled') };
  }

  /** KUBERNETES_EXEC_INFO: the ExecCredential request, with spec.cluster when provideClusterInfo is set. */
  private _execInfo(): Json {
    const spec: Json = {};
    if (this._exec.provideClusterInfo === true) {
      const { config, ...cluster } = this._cluster;
      // client-go always writes config (the cluster's exec extension), null when there is none.
      spec.cluster = { ...Object.fromEntries(Object.entries(cluster).filter(([, v]) => v !== undefined && v !== '' && v !== false)), config: config ?? null };
    }
    spec.interactive = false;
    return { kind: 'ExecCredential', apiVersion: this._exec.apiVersion, spec };
  }

  private _parse(stdout: string): ExecCredential {
    let answer: Json;
    try {
      answer = JSON.parse(stdout) as Json;
    } catch {
      throw new Error(`its output is not an ExecCredential (not JSON): ${stdout.trim().slice(0, 80)}`);
    }
    if (answer.kind !== 'ExecCredential') {
      throw new Error(`its output is a ${String(answer.kind)}, not an ExecCredential`);
    }
    if (answer.apiVersion !== this._exec.apiVersion) {
      throw new Error(`it answered with apiVersion ${String(answer.apiVersion)}, but the kubeconfig configures ${String(this._exec.apiVersion)}`);
    }
    const status = (answer.status ?? {}) as Json;
    const expires = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : undefined;
    const expiresAt = expires === undefined || Number.isNaN(expires) ? {} : { expiresAt: expires };
    if (typeof status.token === 'string' && status.token !== '') {
      return { token: status.token, ...expiresAt };
    }
    if (typeof status.clientCertificateData === 'string' && typeof status.clientKeyData === 'string') {
      return { clientCertificateData: status.clientCertificateData, clientKeyData: status.clientKeyData, ...expiresAt };
    }
    throw new Error('its ExecCredential has neither status.token nor status.clientCertificateData and clientKeyData');
  }
}

function waitOrAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (signal === undefined) {return promise;}
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    };
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
