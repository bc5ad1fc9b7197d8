// Resolves SandboxOptions into the server's effective configuration, including version-profile gates.
import type { SandboxOptions } from './sandbox';

export type VersionProfile = NonNullable<SandboxOptions['versionProfile']>;

export interface Faults {
  errorRate: number;
  throttleRate: number;
  retryAfterSeconds: number;
  resetRate: number;
  stallRate: number;
  stallMs: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir?: string;
  fixture: 'demo' | 'scale' | 'demo+scale';
  scale: { namespaces: number; serviceAccountsPerNamespace: number; podsPerNamespace: number };
  issuer: string;
  apiAudiences: string[];
  maxTokenExpirationSeconds: number;
  extendTokenExpiration: boolean;
  nodeBinding: boolean;
  keyType: 'RS256' | 'ES256';
  versionProfile: VersionProfile;
  minor: number;
  /** TokenRequestServiceAccountUIDValidation (v1.34+): 409 on a uid mismatch, uid echoed in responses. */
  uidValidation: boolean;
  latencyMs: number;
  faults: Faults;
  clockOffsetSeconds: number;
  continueTtlSeconds: number;
  oidcPublic: boolean;
}

export const GIT_VERSIONS: Record<VersionProfile, { gitVersion: string; gitCommit: string; buildDate: string; goVersion: string }> = {
  '1.30': { gitVersion: 'v1.30.14', gitCommit: '9e18483918821121abdf9aa82bc14d66df5d68cd', buildDate: '2025-06-17T18:29:42Z', goVersion: 'go1.23.10' },
  '1.31': { gitVersion: 'v1.31.14', gitCommit: '2ae3c9b1f18a28be8f3f2bf84a3b3ba0a3e4f2d1', buildDate: '2025-11-11T19:21:01Z', goVersion: 'go1.24.9' },
  '1.32': { gitVersion: 'v1.32.10', gitCommit: 'f2a0c7f6d8b0e3a9e1c6a4f6d2f0b7c5d3e9a1b2', buildDate: '2025-11-11T19:19:58Z', goVersion: 'go1.24.9' },
  '1.33': { gitVersion: 'v1.33.6', gitCommit: '1e09fec02ac194c1044224e45e60d249e98cd092', buildDate: '2025-11-11T19:15:54Z', goVersion: 'go1.24.9' },
  '1.34': { gitVersion: 'v1.34.2', gitCommit: '8cc511e399b929453cd98ae65b419c3cc227ec79', buildDate: '2025-11-11T19:10:38Z', goVersion: 'go1.24.9' },
  '1.35': { gitVersion: 'v1.35.0', gitCommit: '66452049f3d692768c39c797b21b793dce80314e', buildDate: '2025-12-17T12:32:06Z', goVersion: 'go1.25.5' },
};

export function resolveConfig(o: SandboxOptions = {}): Config {
  const versionProfile = o.versionProfile ?? '1.35';
  if (!(versionProfile in GIT_VERSIONS)) {throw new Error(`sandbox: unknown versionProfile ${versionProfile}`);}
  const minor = Number(versionProfile.split('.')[1]);
  const issuer = o.issuer ?? 'https://kubernetes.default.svc.cluster.local';
  const max = o.maxTokenExpirationSeconds ?? 0;
  // Mirrors the kube-apiserver startup check of --service-account-max-token-expiration.
  if (max !== 0 && (max < 3600 || max > 2 ** 32)) {
    throw new Error('sandbox: maxTokenExpirationSeconds must be 0 or between 3600 and 2^32');
  }
  return {
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    dataDir: o.dataDir,
    fixture: o.fixture ?? 'demo',
    scale: {
      namespaces: o.scale?.namespaces ?? 2000,
      serviceAccountsPerNamespace: o.scale?.serviceAccountsPerNamespace ?? 10,
      podsPerNamespace: o.scale?.podsPerNamespace ?? 2,
    },
    issuer,
    apiAudiences: o.apiAudiences?.length ? [...o.apiAudiences] : [issuer],
    maxTokenExpirationSeconds: max,
    extendTokenExpiration: o.extendTokenExpiration ?? true,
    nodeBinding: o.nodeBinding ?? minor >= 31,
    keyType: o.keyType ?? 'RS256',
    versionProfile,
    minor,
    uidValidation: minor >= 34,
    latencyMs: o.latencyMs ?? 0,
    faults: normalizeFaults(o.faults),
    clockOffsetSeconds: o.clockOffsetSeconds ?? 0,
    continueTtlSeconds: o.continueTtlSeconds ?? 300,
    oidcPublic: o.oidcPublic ?? false,
  };
}

export function normalizeFaults(f: SandboxOptions['faults'] = {}, base?: Faults): Faults {
  return {
    errorRate: f.errorRate ?? base?.errorRate ?? 0,
    throttleRate: f.throttleRate ?? base?.throttleRate ?? 0,
    retryAfterSeconds: f.retryAfterSeconds ?? base?.retryAfterSeconds ?? 1,
    resetRate: f.resetRate ?? base?.resetRate ?? 0,
    stallRate: f.stallRate ?? base?.stallRate ?? 0,
    stallMs: f.stallMs ?? base?.stallMs ?? 30_000,
  };
}
