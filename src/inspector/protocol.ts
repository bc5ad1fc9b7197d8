/**
 * Messages between the token inspector page and the extension host. Imported by both bundles, so it
 * holds plain data types and type guards only (no vscode, no DOM). Both sides check every message
 * with a guard on arrival: the page is a separate origin and anything could be posted to it.
 *
 * The raw token is in exactly one message, `revealed`, sent only after the user asked for it.
 */

import {
  copyFormats,
  serverChecks,
  type CheckResultView,
  type CopyFormat,
  type InspectorView,
  type ServerCheck,
  type VerificationView,
} from '../core/inspector/inspectorViewModel';

export type * from '../core/inspector/inspectorViewModel';
export { copyFormatLabels, serverCheckLabels } from '../core/inspector/inspectorViewModel';
export { copyFormats, serverChecks };

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
