/**
 * Messages between the token inspector page and the extension host. Imported by both bundles, so it
 * holds plain data types and type guards only (no vscode, no DOM). Both sides check every message
 * with a guard on arrival: the page is a separate origin and anything could be posted to it.
 *
 * The raw token is in exactly one message, `revealed`, sent only after the user asked for it.
 */

export const copyFormats = ['token', 'header', 'curl', 'export', 'kubectl', 'kubeconfig'] as const;
export type CopyFormat = (typeof copyFormats)[number];

export const serverChecks = ['tokenReview', 'whoami', 'rules', 'boundObject'] as const;
export type ServerCheck = (typeof serverChecks)[number];

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

export type HostToPanel =
  | { readonly type: 'render'; readonly view: InspectorView }
  | { readonly type: 'invalid'; readonly title: string; readonly message: string }
  | { readonly type: 'verification'; readonly verification: VerificationView }
  | { readonly type: 'checkResult'; readonly requestId: number; readonly result: CheckResultView }
  | { readonly type: 'checkFailed'; readonly requestId: number; readonly check: ServerCheck; readonly message: string }
  | { readonly type: 'revealed'; readonly token: string }
  | { readonly type: 'copied'; readonly format: CopyFormat; readonly notes: readonly string[] }
  | { readonly type: 'copyFailed'; readonly format: CopyFormat; readonly message: string };

export type PanelToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal' }
  | { readonly type: 'copy'; readonly format: CopyFormat }
  | { readonly type: 'check'; readonly requestId: number; readonly check: ServerCheck; readonly namespace?: string }
  | { readonly type: 'verify' }
  | { readonly type: 'decodeAnother' };

/** What the page keeps across reloads (`setState`): never the token. */
export interface PanelState {
  readonly key: string;
  readonly storeId?: string;
  readonly view?: InspectorView;
}

// ---------------------------------------------------------------------------------------------
// Guards

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStr(v: unknown): v is string {
  return typeof v === 'string';
}

function isOptStr(v: unknown): boolean {
  return v === undefined || typeof v === 'string';
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isStrArray(v: unknown): boolean {
  return Array.isArray(v) && v.every(isStr);
}

export function isCopyFormat(v: unknown): v is CopyFormat {
  return isStr(v) && (copyFormats as readonly string[]).includes(v);
}

export function isServerCheck(v: unknown): v is ServerCheck {
  return isStr(v) && (serverChecks as readonly string[]).includes(v);
}

/** Namespace names are DNS labels; anything else from the page is refused. */
const namespacePattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function isPanelToHost(m: unknown): m is PanelToHost {
  if (!isObj(m) || !isStr(m.type)) {
    return false;
  }
  switch (m.type) {
    case 'ready':
    case 'reveal':
    case 'verify':
    case 'decodeAnother':
      return true;
    case 'copy':
      return isCopyFormat(m.format);
    case 'check':
      return isNum(m.requestId) && isServerCheck(m.check) && (m.namespace === undefined || (isStr(m.namespace) && namespacePattern.test(m.namespace)));
    default:
      return false;
  }
}

function isClaimRow(v: unknown): boolean {
  return isObj(v) && isStr(v.claim) && isStr(v.label) && isStr(v.value) && isStr(v.explanation)
    && (v.time === undefined || (isObj(v.time) && isNum(v.time.ms) && isStr(v.time.local) && isStr(v.time.utc) && isStr(v.time.relative)));
}

export function isInspectorView(v: unknown): v is InspectorView {
  return isObj(v) && isStr(v.key) && isStr(v.title) && (v.source === 'store' || v.source === 'input' || v.source === 'restored')
    && isOptStr(v.storeId) && isStr(v.masked) && typeof v.hasToken === 'boolean' && isOptStr(v.context)
    && isStr(v.headerJson) && isStr(v.claimsJson) && isOptStr(v.alg) && isOptStr(v.kid)
    && Array.isArray(v.claims) && v.claims.every(isClaimRow)
    && isObj(v.identity) && isStr(v.identity.kind) && isObj(v.lifetime) && isStrArray(v.notes);
}

function isVerification(v: unknown): v is VerificationView {
  return isObj(v) && isStr(v.state) && isStr(v.title) && isStr(v.detail) && isOptStr(v.kid);
}

function isCheckResult(v: unknown): v is CheckResultView {
  return isObj(v) && isServerCheck(v.check) && (v.status === 'ok' || v.status === 'warn' || v.status === 'bad')
    && isStr(v.summary) && Array.isArray(v.details) && v.details.every((d) => Array.isArray(d) && d.length === 2 && d.every(isStr))
    && (v.table === undefined || (isObj(v.table) && isStr(v.table.caption) && isStrArray(v.table.columns) && Array.isArray(v.table.rows) && v.table.rows.every(isStrArray)))
    && isOptStr(v.explanation);
}

export function isHostToPanel(m: unknown): m is HostToPanel {
  if (!isObj(m) || !isStr(m.type)) {
    return false;
  }
  switch (m.type) {
    case 'render':
      return isInspectorView(m.view);
    case 'invalid':
      return isStr(m.title) && isStr(m.message);
    case 'verification':
      return isVerification(m.verification);
    case 'checkResult':
      return isNum(m.requestId) && isCheckResult(m.result);
    case 'checkFailed':
      return isNum(m.requestId) && isServerCheck(m.check) && isStr(m.message);
    case 'revealed':
      return isStr(m.token);
    case 'copied':
      return isCopyFormat(m.format) && isStrArray(m.notes);
    case 'copyFailed':
      return isCopyFormat(m.format) && isStr(m.message);
    default:
      return false;
  }
}

export function isPanelState(v: unknown): v is PanelState {
  return isObj(v) && isStr(v.key) && isOptStr(v.storeId) && (v.view === undefined || isInspectorView(v.view));
}
