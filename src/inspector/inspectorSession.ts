import { isTokenError } from '../core/errors';
import { formatTime } from '../core/expiry/timeFormat';
import {
  buildInspectorView, describeBoundObject, describeKeyFetchFailure, describeRules, describeTokenReview, describeVerification,
  describeWhoami, noClusterVerification, pendingVerification, unavailableVerification, withFailedRecheck, withLegacyUseNote, type IssuedFacts,
} from '../core/inspector/inspectorView';
import { copyText, type CopySubject, type CopyTarget } from '../core/kubectl/copyAs';
import { describeError } from '../core/logLine';
import type { DecodedToken } from '../core/token/decodeToken';
import { kubernetesClaims } from '../core/token/kubernetesClaims';
import { verifyToken } from '../core/token/tokenVerification';
import type { Log } from '../platform/log';
import type { InspectorCluster, InspectorClusterAccess } from './inspectorCluster';
import {
  isPanelToHost, type CheckResultView, type CopyFormat, type HostToPanel, type InspectorView, type PanelToHost, type ServerCheck,
  type VerificationView,
} from './protocol';

/** What a panel shows. The token stays here, in host memory; only `view` goes to the page. */
export type PanelContent =
  | {
    readonly kind: 'token';
    readonly decoded: DecodedToken;
    /** Absent for a panel restored after a reload whose token was not in the store. */
    readonly token?: string;
    readonly source: InspectorView['source'];
    readonly storeId?: string;
    /** The context to verify and check against (the one a stored token was issued in); default: active. */
    readonly contextName?: string;
    readonly issued?: IssuedFacts;
  }
  | { readonly kind: 'restored'; readonly view: InspectorView }
  | { readonly kind: 'invalid'; readonly title: string; readonly message: string };

export interface InspectorSessionDeps {
  readonly clusters: InspectorClusterAccess;
  readonly log: Pick<Log, 'warn'>;
  readonly now: () => number;
  /** Sends a message to the page (dropped by the panel once it is closed). */
  readonly post: (message: HostToPanel) => void;
  /**
   * Where Copy As puts the text (the clipboard, or a file the user picks): extra notes for the user,
   * or undefined when the user cancelled and nothing was delivered.
   */
  readonly deliver: (format: CopyFormat, text: string, subject: CopySubject) => Promise<readonly string[] | undefined>;
  readonly copyTarget: (cluster: InspectorCluster) => Promise<CopyTarget>;
  /** "Decode another token" from the page. */
  readonly decodeAnother: () => void;
}

/** Test-friendly, token-free picture of what the session holds. */
export interface InspectorSessionState {
  readonly view?: InspectorView;
  readonly invalid?: { readonly title: string; readonly message: string };
  readonly verification?: VerificationView;
  readonly checks: readonly CheckResultView[];
  readonly checkFailures: ReadonlyArray<{ readonly check: ServerCheck; readonly message: string }>;
  readonly lastCopy?: { readonly format: CopyFormat; readonly ok: boolean; readonly notes: readonly string[]; readonly message?: string; readonly cancelled?: true };
  readonly revealed: boolean;
  readonly ready: boolean;
}

/**
 * One inspected token without its webview: the view model, the signature check, server checks, copy and
 * the page protocol. Every answer belongs to the content it was asked for: a verification or check still
 * running when the content is replaced (a renewal refreshing the panel) is dropped, not shown on the new token.
 */
export class InspectorSession {
  private _content: PanelContent;
  /** Bumped on every new content; async results carry the generation they were started in. */
  private _generation = 0;
  private _view: InspectorView | undefined;
  private _verification: VerificationView | undefined;
  private _lastVerified: { readonly view: VerificationView; readonly at: number } | undefined;
  private _verifying: Promise<void> | undefined;
  private _ready = false;
  private _revealed = false;
  private _checks = new Map<ServerCheck, CheckResultView>();
  private _checkFailures = new Map<ServerCheck, string>();
  private _lastCopy: InspectorSessionState['lastCopy'];

  constructor(readonly key: string, private readonly _deps: InspectorSessionDeps, content: PanelContent) {
    this._content = content;
    this.setContent(content);
  }

  get content(): PanelContent {
    return this._content;
  }

  get view(): InspectorView | undefined {
    return this._view;
  }

  /** Replaces what is shown (a new token for the same key, or a restore); the page must send `ready` again. */
  setContent(content: PanelContent): void {
    this._generation++;
    this._content = content;
    this._checks = new Map();
    this._checkFailures = new Map();
    this._revealed = false;
    this._verification = undefined;
    this._lastVerified = undefined;
    this._ready = false;
    this._view = this._buildView();
    this._verifying = this._verify(false);
  }

  /** Resolves once the signature state is final. */
  async settled(): Promise<void> {
    await this._verifying;
  }

  state(): InspectorSessionState {
    const c = this._content;
    return {
      ...(this._view !== undefined ? { view: this._view } : {}),
      ...(c.kind === 'invalid' ? { invalid: { title: c.title, message: c.message } } : {}),
      ...(this._verification !== undefined ? { verification: this._verification } : {}),
      checks: [...this._checks.values()],
      checkFailures: [...this._checkFailures].map(([check, message]) => ({ check, message })),
      ...(this._lastCopy !== undefined ? { lastCopy: this._lastCopy } : {}),
      revealed: this._revealed,
      ready: this._ready,
    };
  }

  /** Every page message passes the guard first; anything else is dropped (and logged without its content). */
  async handleMessage(message: unknown): Promise<void> {
    if (!isPanelToHost(message)) {
      this._deps.log.warn('Token inspector: ignored a malformed message from the page.');
      return;
    }
    const m: PanelToHost = message;
    switch (m.type) {
      case 'ready':
        this._ready = true;
        this._postAll();
        return;
      case 'reveal':
        if (this._content.kind === 'token' && this._content.token !== undefined) {
          this._revealed = true;
          this._deps.post({ type: 'revealed', token: this._content.token });
        }
        return;
      case 'copy':
        await this.copy(m.format);
        return;
      case 'check':
        await this._check(m.requestId, m.check, m.namespace);
        return;
      case 'verify':
        this._verifying = this._verify(true);
        await this._verifying;
        return;
      case 'decodeAnother':
        this._deps.decodeAnother();
        return;
    }
  }

  async copy(format: CopyFormat): Promise<void> {
    const c = this._content;
    try {
      if (c.kind !== 'token' || c.token === undefined) {
        throw new Error('The token was not kept after the reload, so it cannot be copied. Decode it again.');
      }
      const needsCluster = format === 'curl' || format === 'kubectl' || format === 'kubeconfig';
      const target = needsCluster ? await this._deps.copyTarget(await this._deps.clusters.cluster(c.contextName)) : undefined;
      const subject = this._subject();
      const { text, notes } = copyText(format, c.token, target, subject);
      const delivered = await this._deps.deliver(format, text, subject);
      if (delivered === undefined) {
        const message = 'Cancelled: nothing was saved.';
        this._lastCopy = { format, ok: false, notes: [], message, cancelled: true };
        this._deps.post({ type: 'copyFailed', format, message });
        return;
      }
      const allNotes = [...delivered, ...notes];
      this._lastCopy = { format, ok: true, notes: allNotes };
      this._deps.post({ type: 'copied', format, notes: allNotes });
    } catch (e) {
      const message = describeError(e);
      this._lastCopy = { format, ok: false, notes: [], message };
      this._deps.post({ type: 'copyFailed', format, message });
    }
  }

  private _buildView(): InspectorView | undefined {
    const c = this._content;
    if (c.kind === 'restored') {
      return c.view;
    }
    if (c.kind === 'invalid') {
      return undefined;
    }
    return buildInspectorView({
      key: this.key,
      decoded: c.decoded,
      source: c.source,
      ...(c.storeId !== undefined ? { storeId: c.storeId } : {}),
      ...(c.contextName !== undefined ? { context: c.contextName } : {}),
      hasToken: c.token !== undefined,
      ...(c.issued !== undefined ? { issued: c.issued } : {}),
      now: this._deps.now(),
    });
  }

  private _postAll(): void {
    const c = this._content;
    if (c.kind === 'invalid') {
      this._deps.post({ type: 'invalid', title: c.title, message: c.message });
      return;
    }
    if (this._view !== undefined) {
      this._deps.post({ type: 'render', view: this._view });
    }
    this._deps.post({ type: 'verification', verification: this._verification ?? pendingVerification });
  }

  private _setVerification(generation: number, v: VerificationView): void {
    if (generation !== this._generation) {
      return;
    }
    if (v.state === 'verified') {
      this._lastVerified = { view: v, at: this._deps.now() };
    }
    this._showVerification(v);
  }

  private _showVerification(v: VerificationView): void {
    this._verification = v;
    if (this._ready) {
      this._deps.post({ type: 'verification', verification: v });
    }
  }

  /** A re-check that could not reach the keys keeps an earlier success, saying when it was. */
  private _setRecheckFailure(generation: number, failure: VerificationView): void {
    const last = generation === this._generation ? this._lastVerified : undefined;
    if (last === undefined) {
      this._setVerification(generation, failure);
      return;
    }
    const at = formatTime(last.at, this._deps.now());
    this._showVerification(withFailedRecheck(last.view, `${at.local} (${at.relative})`, failure));
  }

  /** Signature check against the cluster's published keys (cached by the client; refetched on an unknown kid, or when asked). */
  private async _verify(refresh: boolean): Promise<void> {
    const generation = this._generation;
    const c = this._content;
    if (c.kind === 'invalid') {
      return;
    }
    if (c.kind === 'restored') {
      this._setVerification(generation, unavailableVerification);
      return;
    }
    const now = this._deps.now();
    // Algorithm, shape and identity first: `alg: none` or a non-Kubernetes JWT needs no network.
    const offline = await verifyToken(c.decoded.raw, { keys: [] }, { now });
    if (offline.state !== 'key-not-found' && offline.state !== 'invalid-signature' && offline.state !== 'verified') {
      this._setVerification(generation, describeVerification(offline));
      return;
    }
    if (this._lastVerified === undefined) {
      this._setVerification(generation, pendingVerification);
    }
    let cluster: InspectorCluster;
    try {
      cluster = await this._deps.clusters.cluster(c.contextName);
    } catch (e) {
      this._setRecheckFailure(generation, { ...noClusterVerification, detail: `${describeError(e)} ${noClusterVerification.detail}` });
      return;
    }
    try {
      // "Verify again" is an explicit request for fresh keys (a key may have been removed since it was cached).
      const config = await cluster.client.getOpenIdConfiguration(refresh ? { refresh } : {});
      let result = await verifyToken(c.decoded.raw, await cluster.client.getJwks(refresh ? { refresh } : {}), { issuer: config.issuer, now });
      if (result.state === 'key-not-found' && !refresh) {
        result = await verifyToken(c.decoded.raw, await cluster.client.getJwks({ refresh: true }), { issuer: config.issuer, now });
      }
      this._setVerification(generation, describeVerification(result, cluster.contextName));
    } catch (e) {
      this._deps.log.warn(`Token inspector: cannot fetch the signing keys of ${cluster.contextName}: ${describeError(e)}`);
      this._setRecheckFailure(generation, describeKeyFetchFailure(isTokenError(e) ? e.code : undefined, describeError(e)));
    }
  }

  private _subject(): CopySubject {
    const identity = this._view?.identity;
    return {
      ...(identity?.namespace !== undefined ? { namespace: identity.namespace } : {}),
      ...(identity?.serviceAccount !== undefined ? { serviceAccount: identity.serviceAccount } : {}),
    };
  }

  private async _check(requestId: number, check: ServerCheck, namespace: string | undefined): Promise<void> {
    const generation = this._generation;
    try {
      const result = await this._runCheck(check, namespace);
      if (generation !== this._generation) {
        return;
      }
      this._checks.set(check, result);
      this._checkFailures.delete(check);
      this._deps.post({ type: 'checkResult', requestId, result });
    } catch (e) {
      if (generation !== this._generation) {
        return;
      }
      const message = explainCheckFailure(check, e);
      this._checkFailures.set(check, message);
      this._checks.delete(check);
      this._deps.post({ type: 'checkFailed', requestId, check, message });
    }
  }

  private async _runCheck(check: ServerCheck, namespace: string | undefined): Promise<CheckResultView> {
    const result = await this._runServerCheck(check, namespace);
    const c = this._content;
    const identity = c.kind === 'token' ? kubernetesClaims(c.decoded.claims) : undefined;
    return identity?.kind === 'legacy' && check !== 'boundObject'
      ? withLegacyUseNote(result, { namespace: identity.namespace, ...(identity.secretName !== undefined ? { name: identity.secretName } : {}) })
      : result;
  }

  private async _runServerCheck(check: ServerCheck, namespace: string | undefined): Promise<CheckResultView> {
    const c = this._content;
    if (c.kind !== 'token' || c.token === undefined) {
      throw new Error('The token was not kept after the reload. Decode it again to run server checks.');
    }
    const token = c.token;
    const { client } = await this._deps.clusters.cluster(c.contextName);
    const identity = this._view?.identity;
    switch (check) {
      case 'tokenReview': {
        const aud = c.decoded.claims.aud;
        return describeTokenReview(await client.tokenReview(token), typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []);
      }
      case 'whoami':
        return rejectedIfUnauthorized('whoami', () => client.selfSubjectReview({ asToken: token }).then(describeWhoami));
      case 'rules': {
        const ns = namespace ?? identity?.namespace ?? client.connectionInfo.namespace;
        return rejectedIfUnauthorized('rules', async () => describeRules(ns, await client.selfSubjectRulesReview(ns, { asToken: token })));
      }
      case 'boundObject': {
        const binding = identity?.binding;
        if (binding === undefined) {
          throw new Error('The token is not bound to an object (pod, secret or node); only its service account limits its life.');
        }
        const result = await client.checkBoundObject({
          kind: binding.kind,
          name: binding.name,
          ...(binding.kind !== 'Node' && identity?.namespace !== undefined ? { namespace: identity.namespace } : {}),
          ...(binding.uid !== undefined ? { uid: binding.uid } : {}),
        });
        return describeBoundObject(binding, identity?.namespace, result);
      }
    }
  }

  /** Drops the token reference (the panel was closed). */
  dispose(): void {
    this._generation++;
    this._content = { kind: 'invalid', title: 'Closed', message: '' };
  }
}

function explainCheckFailure(check: ServerCheck, e: unknown): string {
  if (!isTokenError(e)) {
    return describeError(e);
  }
  if (e.code === 'ERR_FORBIDDEN' && check === 'tokenReview') {
    return `${e.message} TokenReview needs "create tokenreviews" (ClusterRole system:auth-delegator). Try "Who am I" instead: it needs no extra permission.`;
  }
  return e.hint !== undefined ? `${e.message} ${e.hint}` : e.message;
}

/** Requests made with the token itself: a 401 is an answer about the token, not a failure of the check. */
async function rejectedIfUnauthorized(check: ServerCheck, run: () => Promise<CheckResultView>): Promise<CheckResultView> {
  try {
    return await run();
  } catch (e) {
    if (isTokenError(e) && e.code === 'ERR_UNAUTHORIZED') {
      return {
        check,
        status: 'bad',
        summary: 'The API server rejected the token (401 Unauthorized)',
        details: [],
        explanation: 'The token is expired, invalidated (its bound object or service account is gone), signed by a key the cluster no longer has, or meant for another audience.',
      };
    }
    throw e;
  }
}
