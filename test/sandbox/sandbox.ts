// Public entry point of the sandbox Kubernetes API server (a TEST DOUBLE, see README.md).
// Other test code imports only this file.
import { startServer } from './server';

export interface SandboxOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  fixture?: 'demo' | 'scale' | 'demo+scale';
  scale?: { namespaces?: number; serviceAccountsPerNamespace?: number; podsPerNamespace?: number };
  issuer?: string;
  apiAudiences?: string[];
  maxTokenExpirationSeconds?: number;
  extendTokenExpiration?: boolean;
  nodeBinding?: boolean;
  keyType?: 'RS256' | 'ES256';
  versionProfile?: '1.30' | '1.31' | '1.32' | '1.33' | '1.34' | '1.35';
  latencyMs?: number;
  faults?: { errorRate?: number; throttleRate?: number; retryAfterSeconds?: number; resetRate?: number; stallRate?: number; stallMs?: number };
  clockOffsetSeconds?: number;
  continueTtlSeconds?: number;
  oidcPublic?: boolean;
}

export interface RecordedRequest {
  readonly time: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Lower-case header names; `authorization` is redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined when empty. */
  readonly body: unknown;
  readonly user?: string;
  readonly status?: number;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly kubeconfigPath: string;
  readonly dataDir: string;
  readonly caPem: string;
  readonly adminToken: string;
  readonly contexts: { admin: string; limited: string; exec: string; unreachable: string; expired: string; insecure: string };
  readonly requests: ReadonlyArray<RecordedRequest>;
  /** Every token TokenRequest issued since the sandbox started. */
  readonly issuedTokens: readonly string[];
  close(): Promise<void>;
}

export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startServer(options);
}
