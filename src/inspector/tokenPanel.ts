import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { copyText, type CopySubject } from '../core/kubectl/copyAs';
import type { DecodedToken } from '../core/token/decodeToken';
import { isTokenError } from '../core/errors';
import {
  buildInspectorView, describeBoundObject, describeKeyFetchFailure, describeRules, describeTokenReview, describeVerification,
  describeWhoami, noClusterVerification, pendingVerification, unavailableVerification, withLegacyUseNote, type IssuedFacts,
} from '../core/inspector/inspectorView';
import { kubernetesClaims } from '../core/token/kubernetesClaims';
import { verifyToken } from '../core/token/tokenVerification';
import { describeError, type Log } from '../platform/log';
import { copyTargetFor, type InspectorClusterAccess } from './inspectorCluster';
import {
  isPanelToHost, type CheckResultView, type CopyFormat, type HostToPanel, type InspectorView, type PanelToHost, type ServerCheck,
  type VerificationView,
} from './protocol';


export interface TokenPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly clusters: InspectorClusterAccess;
  readonly now: () => number;
  /** "Decode another token" from the page. */
  readonly decodeAnother: () => void;
}

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

/** Test-friendly, token-free picture of a panel. */
export interface TokenPanelState {
  readonly key: string;
  readonly title: string;
  readonly ready: boolean;
  readonly view?: InspectorView;
  readonly invalid?: { readonly title: string; readonly message: string };
  readonly verification?: VerificationView;
  readonly checks: readonly CheckResultView[];
  readonly checkFailures: ReadonlyArray<{ readonly check: ServerCheck; readonly message: string }>;
  readonly lastCopy?: { readonly format: CopyFormat; readonly ok: boolean; readonly notes: readonly string[]; readonly message?: string };
  readonly revealed: boolean;
  readonly html: string;
  /** Every message type posted to the page, in order (never the payloads). */
  readonly posted: readonly string[];
}

function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** One inspector panel: owns the webview, the token (in memory) and the calls made for it. */
export class TokenPanel implements vscode.Disposable {
  private readonly _disposables: vscode.Disposable[] = [];
  private readonly _onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose = this._onDidDispose.event;

  private _content: PanelContent;
  private _view: InspectorView | undefined;
  private _verification: VerificationView | undefined;
  private _verifying: Promise<void> | undefined;
  private _ready = false;
  private _revealed = false;
  private _checks = new Map<ServerCheck, CheckResultView>();
  private _checkFailures = new Map<ServerCheck, string>();
  private _lastCopy: TokenPanelState['lastCopy'];
  private _posted: string[] = [];
  private _disposed = false;

  constructor(
    readonly key: string,
    private readonly _panel: vscode.WebviewPanel,
    private readonly _deps: TokenPanelDeps,
    content: PanelContent,
  ) {
    this._content = content;
    const root = _deps.extensionUri;
    _panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')],
    };
    this._disposables.push(
      _panel.onDidDispose(() => this.dispose()),
      _panel.webview.onDidReceiveMessage((m: unknown) => void this.handleMessage(m)),
    );
    this.setContent(content);
  }

  get panel(): vscode.WebviewPanel {
    return this._panel;
  }

  get content(): PanelContent {
    return this._content;
  }

  /** Replaces what the panel shows (a new token for the same key, or a restore) and re-renders. */
  setContent(content: PanelContent): void {
    this._content = content;
    this._checks = new Map();
    this._checkFailures = new Map();
    this._revealed = false;
    this._verification = undefined;
    this._view = this.buildView();
    this._panel.title = content.kind === 'invalid' ? 'Token Inspector: cannot decode' : this._view?.title ?? 'Token Inspector';
    this._ready = false;
    // A fresh document (and nonce) per render; the page posts `ready` when its script runs.
    this._panel.webview.html = this.html();
    this._verifying = this.verify();
  }

  reveal(): void {
    this._panel.reveal();
  }

  state(): TokenPanelState {
    const invalid = this._content.kind === 'invalid' ? { title: this._content.title, message: this._content.message } : undefined;
    return {
      key: this.key,
      title: this._panel.title,
      ready: this._ready,
      ...(this._view !== undefined ? { view: this._view } : {}),
      ...(invalid !== undefined ? { invalid } : {}),
      ...(this._verification !== undefined ? { verification: this._verification } : {}),
      checks: [...this._checks.values()],
      checkFailures: [...this._checkFailures].map(([check, message]) => ({ check, message })),
      ...(this._lastCopy !== undefined ? { lastCopy: this._lastCopy } : {}),
      revealed: this._revealed,
      html: this._panel.webview.html,
      posted: [...this._posted],
    };
  }

  /** Resolves once the signature state is final (for tests and for callers that want to wait). */
  async settled(): Promise<void> {
    await this._verifying;
  }

  private buildView(): InspectorView | undefined {
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

  private html(): string {
    const webview = this._panel.webview;
    const n = nonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this._deps.extensionUri, 'dist', 'webview', 'main.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this._deps.extensionUri, 'media', 'inspector.css'));
    const csp = `default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource}; script-src 'nonce-${n}';`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Token Inspector</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading the token inspector…</p></main>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  private post(message: HostToPanel): void {
    if (this._disposed) {
      return;
    }
    this._posted.push(message.type);
    void this._panel.webview.postMessage(message);
  }

  private postAll(): void {
    const c = this._content;
    if (c.kind === 'invalid') {
      this.post({ type: 'invalid', title: c.title, message: c.message });
      return;
    }
    if (this._view !== undefined) {
      this.post({ type: 'render', view: this._view });
    }
    this.post({ type: 'verification', verification: this._verification ?? pendingVerification });
  }

  private setVerification(v: VerificationView): void {
    this._verification = v;
    if (this._ready) {
      this.post({ type: 'verification', verification: v });
    }
  }

  /** Signature check against the cluster's published keys (cached by the client; refetched on an unknown kid, or when asked). */
  private async verify(refresh = false): Promise<void> {
    const c = this._content;
    if (c.kind === 'invalid') {
      return;
    }
    if (c.kind === 'restored') {
      this.setVerification(unavailableVerification);
      return;
    }
    const now = this._deps.now();
    // Algorithm, shape and identity first: `alg: none` or a non-Kubernetes JWT needs no network.
    const offline = await verifyToken(c.decoded.raw, { keys: [] }, { now });
    if (offline.state !== 'key-not-found' && offline.state !== 'invalid-signature' && offline.state !== 'verified') {
      this.setVerification(describeVerification(offline));
      return;
    }
    this.setVerification(pendingVerification);
    let cluster;
    try {
      cluster = await this._deps.clusters.cluster(c.contextName);
    } catch (e) {
      this.setVerification({ ...noClusterVerification, detail: `${isTokenError(e) ? e.message : describeError(e)} ${noClusterVerification.detail}` });
      return;
    }
    try {
      // "Verify again" is an explicit request for fresh keys (a key may have been removed since it was cached).
      const config = await cluster.client.getOpenIdConfiguration(refresh ? { refresh } : {});
      let result = await verifyToken(c.decoded.raw, await cluster.client.getJwks(refresh ? { refresh } : {}), { issuer: config.issuer, now });
      if (result.state === 'key-not-found' && !refresh) {
        result = await verifyToken(c.decoded.raw, await cluster.client.getJwks({ refresh: true }), { issuer: config.issuer, now });
      }
      this.setVerification(describeVerification(result, cluster.contextName));
    } catch (e) {
      this._deps.log.warn(`Token inspector: cannot fetch the signing keys of ${cluster.contextName}: ${describeError(e)}`);
      this.setVerification(describeKeyFetchFailure(isTokenError(e) ? e.code : undefined, isTokenError(e) ? e.message : describeError(e)));
    }
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
        this.postAll();
        return;
      case 'reveal':
        if (this._content.kind === 'token' && this._content.token !== undefined) {
          this._revealed = true;
          this.post({ type: 'revealed', token: this._content.token });
        }
        return;
      case 'copy':
        await this.copy(m.format);
        return;
      case 'check':
        await this.check(m.requestId, m.check, m.namespace);
        return;
      case 'verify':
        this._verifying = this.verify(true);
        await this._verifying;
        return;
      case 'decodeAnother':
        this._deps.decodeAnother();
        return;
    }
  }

  private subject(): CopySubject {
    const identity = this._view?.identity;
    return {
      ...(identity?.namespace !== undefined ? { namespace: identity.namespace } : {}),
      ...(identity?.serviceAccount !== undefined ? { serviceAccount: identity.serviceAccount } : {}),
    };
  }

  async copy(format: CopyFormat): Promise<void> {
    const c = this._content;
    try {
      if (c.kind !== 'token' || c.token === undefined) {
        throw new Error('The token was not kept after the reload, so it cannot be copied. Decode it again.');
      }
      const needsCluster = format === 'curl' || format === 'kubectl' || format === 'kubeconfig';
      const target = needsCluster ? await copyTargetFor(await this._deps.clusters.cluster(c.contextName)) : undefined;
      const { text, notes } = copyText(format, c.token, target, this.subject());
      if (format === 'kubeconfig') {
        const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
        await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
        notes.unshift('Opened as an untitled YAML document. Save it somewhere private, or close it without saving.');
      } else {
        await vscode.env.clipboard.writeText(text);
      }
      this._lastCopy = { format, ok: true, notes };
      this.post({ type: 'copied', format, notes });
    } catch (e) {
      const message = isTokenError(e) ? e.message : describeError(e);
      this._lastCopy = { format, ok: false, notes: [], message };
      this.post({ type: 'copyFailed', format, message });
    }
  }

  private async check(requestId: number, check: ServerCheck, namespace: string | undefined): Promise<void> {
    try {
      const result = await this.runCheck(check, namespace);
      this._checks.set(check, result);
      this._checkFailures.delete(check);
      this.post({ type: 'checkResult', requestId, result });
    } catch (e) {
      const message = this.explainFailure(check, e);
      this._checkFailures.set(check, message);
      this._checks.delete(check);
      this.post({ type: 'checkFailed', requestId, check, message });
    }
  }

  private explainFailure(check: ServerCheck, e: unknown): string {
    if (!isTokenError(e)) {
      return describeError(e);
    }
    if (e.code === 'ERR_FORBIDDEN' && check === 'tokenReview') {
      return `${e.message} TokenReview needs "create tokenreviews" (ClusterRole system:auth-delegator). Try "Who am I" instead: it needs no extra permission.`;
    }
    return e.hint !== undefined ? `${e.message} ${e.hint}` : e.message;
  }

  private async runCheck(check: ServerCheck, namespace: string | undefined): Promise<CheckResultView> {
    const result = await this.runServerCheck(check, namespace);
    const c = this._content;
    const identity = c.kind === 'token' ? kubernetesClaims(c.decoded.claims) : undefined;
    return identity?.kind === 'legacy' && check !== 'boundObject'
      ? withLegacyUseNote(result, { namespace: identity.namespace, ...(identity.secretName !== undefined ? { name: identity.secretName } : {}) })
      : result;
  }

  private async runServerCheck(check: ServerCheck, namespace: string | undefined): Promise<CheckResultView> {
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
        try {
          return describeWhoami(await client.selfSubjectReview({ asToken: token }));
        } catch (e) {
          if (isTokenError(e) && e.code === 'ERR_UNAUTHORIZED') {
            return rejected('whoami');
          }
          throw e;
        }
      case 'rules': {
        const ns = namespace ?? identity?.namespace ?? client.connectionInfo.namespace;
        try {
          return describeRules(ns, await client.selfSubjectRulesReview(ns, { asToken: token }));
        } catch (e) {
          if (isTokenError(e) && e.code === 'ERR_UNAUTHORIZED') {
            return rejected('rules');
          }
          throw e;
        }
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

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    // Drop the token reference with the panel.
    this._content = { kind: 'invalid', title: 'Closed', message: '' };
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
    this._panel.dispose();
    while (this._disposables.length) {
      this._disposables.pop()?.dispose();
    }
  }
}

function rejected(check: ServerCheck): CheckResultView {
  return {
    check,
    status: 'bad',
    summary: 'The API server rejected the token (401 Unauthorized)',
    details: [],
    explanation: 'The token is expired, invalidated (its bound object or service account is gone), signed by a key the cluster no longer has, or meant for another audience.',
  };
}
