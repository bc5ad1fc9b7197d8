/**
 * What the token inspector page shows, as plain data: built by the host (inspectorView.ts), rendered by
 * the page. Dependency-free, because both bundles import it.
 */

/** The "Copy as" formats, in the order the page's buttons and the Copy Token As quick pick show them. */
export const copyFormats = ['token', 'header', 'curl', 'export', 'kubectl', 'kubeconfig'] as const;
export type CopyFormat = (typeof copyFormats)[number];

/** The one label of each copy format, on the page's buttons, in the quick pick and in messages. */
export const copyFormatLabels: Readonly<Record<CopyFormat, string>> = {
  token: 'Raw token',
  header: 'Authorization: Bearer header',
  curl: 'curl command (whoami)',
  export: 'Shell export',
  kubectl: 'kubectl --token command',
  kubeconfig: 'Kubeconfig for the service account',
};

export const serverChecks = ['tokenReview', 'whoami', 'rules', 'boundObject'] as const;
export type ServerCheck = (typeof serverChecks)[number];

export const serverCheckLabels: Readonly<Record<ServerCheck, string>> = {
  tokenReview: 'TokenReview',
  whoami: 'Who am I',
  rules: 'What can it do',
  boundObject: 'Bound object still exists?',
};

/** One moment, shown three ways; `ms` lets the page keep the relative text live. */
export interface TimeView {
  readonly ms: number;
  readonly local: string;
  readonly utc: string;
  readonly relative: string;
}

export interface ClaimRowView {
  readonly claim: string;
  readonly label: string;
  readonly value: string;
  readonly explanation: string;
  readonly time?: TimeView;
}

export interface IdentityView {
  readonly kind: 'bound' | 'legacy' | 'not-kubernetes';
  readonly namespace?: string;
  readonly serviceAccount?: string;
  readonly binding?: { readonly kind: 'Pod' | 'Secret' | 'Node'; readonly name: string; readonly uid?: string };
  readonly reason?: string;
}

export interface LifetimeView {
  readonly iatMs?: number;
  readonly nbfMs?: number;
  readonly expMs?: number;
  readonly warnAfterMs?: number;
  /** Requested vs issued, when known (tokens from the store, or extended tokens). */
  readonly comparison?: {
    readonly requestedSeconds?: number;
    readonly issuedSeconds?: number;
    readonly jwtLifetimeSeconds?: number;
    readonly shortened: boolean;
    readonly extended: boolean;
    readonly explanations: readonly string[];
  };
}

/** Everything the page shows about one token. Never the token itself, nor its signature. */
export interface InspectorView {
  readonly key: string;
  readonly title: string;
  /** Where the token came from: the extension's store, a paste / clipboard / selection, or a panel restored after a reload. */
  readonly source: 'store' | 'input' | 'restored';
  readonly storeId?: string;
  /** e.g. `eyJhbG…(1,024 characters)…`: enough to recognise, useless as a credential. */
  readonly masked: string;
  /** True while the host holds the token: server checks, copy and reveal are possible. */
  readonly hasToken: boolean;
  /** The kubeconfig context used for verification and server checks, if any. */
  readonly context?: string;
  readonly headerJson: string;
  readonly claimsJson: string;
  readonly alg?: string;
  readonly kid?: string;
  readonly claims: readonly ClaimRowView[];
  readonly identity: IdentityView;
  readonly lifetime: LifetimeView;
  /** Clean-ups and oddities found while decoding (a "Bearer " prefix removed, no signature...). */
  readonly notes: readonly string[];
}

export type VerificationState =
  | 'pending'
  | 'verified'
  | 'invalid-signature'
  | 'key-not-found'
  | 'cannot-fetch'
  | 'not-kubernetes'
  | 'unsupported-algorithm'
  | 'issuer-mismatch'
  | 'no-cluster'
  | 'unavailable'
  | 'malformed';

export interface VerificationView {
  readonly state: VerificationState;
  readonly title: string;
  readonly detail: string;
  readonly kid?: string;
}

export interface CheckResultView {
  readonly check: ServerCheck;
  readonly status: 'ok' | 'warn' | 'bad';
  readonly summary: string;
  readonly details: ReadonlyArray<readonly [string, string]>;
  readonly table?: { readonly caption: string; readonly columns: readonly string[]; readonly rows: ReadonlyArray<readonly string[]> };
  readonly explanation?: string;
}
