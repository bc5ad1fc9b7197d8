import { randomBytes } from 'node:crypto';
import vscode = require('vscode');
import { inspectorTabTitle } from '../core/inspector/inspectorView';
import type { CopySubject } from '../core/kubectl/copyAs';
import type { Log } from '../platform/log';
import { copyTargetFor, type InspectorClusterAccess } from './inspectorCluster';
import { inspectorHtml } from './inspectorHtml';
import { saveKubeconfig, type SaveDialog } from './kubeconfigExport';
import { InspectorSession, type InspectorSessionState, type PanelContent } from './inspectorSession';
import type { CopyFormat, HostToPanel } from './protocol';

export type { PanelContent } from './inspectorSession';

export interface TokenPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly clusters: InspectorClusterAccess;
  readonly now: () => number;
  /** "Decode another token" from the page. */
  readonly decodeAnother: () => void;
  /** Where Copy As → Kubeconfig asks for the file. */
  readonly showSaveDialog: SaveDialog;
  /** Told when the page is sent a verified signature (what the user then sees). */
  readonly onShownVerified?: () => void;
}

/** Test-friendly, token-free picture of a panel. */
export interface TokenPanelState extends InspectorSessionState {
  readonly key: string;
  readonly title: string;
  readonly html: string;
  /** Every message type posted to the page, in order (never the payloads). */
  readonly posted: readonly string[];
}

/** One inspector panel: the webview of an InspectorSession (which holds the token, in memory). */
export class TokenPanel implements vscode.Disposable {
  private readonly _disposables: vscode.Disposable[] = [];
  private readonly _onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose = this._onDidDispose.event;
  private readonly _session: InspectorSession;
  private readonly _posted: string[] = [];
  private _disposed = false;

  constructor(
    readonly key: string,
    private readonly _panel: vscode.WebviewPanel,
    private readonly _deps: TokenPanelDeps,
    content: PanelContent,
  ) {
    const root = _deps.extensionUri;
    _panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')],
    };
    this._session = new InspectorSession(key, {
      clusters: _deps.clusters,
      log: _deps.log,
      now: _deps.now,
      post: (message) => this._post(message),
      deliver: (format, text, subject) => this._deliver(format, text, subject),
      copyTarget: copyTargetFor,
      decodeAnother: _deps.decodeAnother,
    }, content);
    this._disposables.push(
      _panel.onDidDispose(() => this.dispose()),
      _panel.webview.onDidReceiveMessage((m: unknown) => void this._session.handleMessage(m)),
    );
    this._render();
  }

  get panel(): vscode.WebviewPanel {
    return this._panel;
  }

  get content(): PanelContent {
    return this._session.content;
  }

  /** Replaces what the panel shows (a new token for the same key, or a restore) and re-renders. */
  setContent(content: PanelContent): void {
    this._session.setContent(content);
    this._render();
  }

  reveal(): void {
    this._panel.reveal();
  }

  handleMessage(message: unknown): Promise<void> {
    return this._session.handleMessage(message);
  }

  copy(format: CopyFormat): Promise<void> {
    return this._session.copy(format);
  }

  state(): TokenPanelState {
    return { ...this._session.state(), key: this.key, title: this._panel.title, html: this._panel.webview.html, posted: [...this._posted] };
  }

  /** Resolves once the signature state is final (for tests and for callers that want to wait). */
  settled(): Promise<void> {
    return this._session.settled();
  }

  private _render(): void {
    const content = this._session.content;
    const view = this._session.view;
    this._panel.title = content.kind === 'invalid' ? 'Token Inspector: cannot decode' : view !== undefined ? inspectorTabTitle(view, this._deps.now()) : 'Token Inspector';
    const webview = this._panel.webview;
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this._deps.extensionUri, ...path)).toString();
    // A fresh document (and nonce) per render; the page posts `ready` when its script runs.
    webview.html = inspectorHtml({ cspSource: webview.cspSource, scriptUri: asset('dist', 'webview', 'main.js'), styleUri: asset('media', 'inspector.css') }, randomBytes(16).toString('base64'));
  }

  private _post(message: HostToPanel): void {
    if (this._disposed) {
      return;
    }
    this._posted.push(message.type);
    void this._panel.webview.postMessage(message);
    if (message.type === 'verification' && message.verification.state === 'verified') {
      this._deps.onShownVerified?.();
    }
  }

  private async _deliver(format: CopyFormat, text: string, subject: CopySubject): Promise<readonly string[] | undefined> {
    if (format === 'kubeconfig') {
      return saveKubeconfig(text, subject, this._deps.showSaveDialog);
    }
    await vscode.env.clipboard.writeText(text);
    return [];
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._session.dispose();
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
    this._panel.dispose();
    while (this._disposables.length) {
      this._disposables.pop()?.dispose();
    }
  }
}
