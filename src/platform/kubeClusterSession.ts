import { stat, statSync, type Stats } from 'node:fs';
import vscode = require('vscode');
import { TokenError } from '../core/errors';
import type { ClusterClient, KubeconfigSnapshot } from '../kube/clusterClient';
import { configSection, settingIds } from '../constants';
import type { ClusterSession } from './clusterSession';
import { Disposable } from './disposable';
import { kubeconfigCandidates } from '../kube/kubeconfigFiles';
import { loadKubeModule, type KubeModuleExports } from './kubeLoader';
import type { Log } from './log';
import { describeError } from '../core/logLine';

export interface KubeClusterSessionOptions {
  readonly log?: Log;
  /** Injectable for tests; defaults to the lazily required dist/kube/index.js. */
  readonly loadKube?: () => Promise<KubeModuleExports>;
  /** How often the kubeconfig files are stat-polled (ms). Polling, because editors replace files and files may not exist yet. */
  readonly watchIntervalMs?: number;
  /** How long a client replaced by a reload stays alive for requests already in flight. */
  readonly retireGraceMs?: number;
}

/**
 * The ClusterSession over the user's kubeconfig. Nothing is loaded at construction (activation stays
 * instant): the first `client()`, `reload()`, `whenLoaded()` or read of `kubeconfig` / `activeContext`
 * loads the kube module and the kubeconfig, then fires `onDidChange`. The active context is an
 * in-memory choice; the kubeconfig is never written.
 */
export class KubeClusterSession extends Disposable implements ClusterSession {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;

  private _kubeconfig: KubeconfigSnapshot | undefined;
  private _loadError: unknown;
  private _activeContext: string | undefined;
  /** The user's Switch Context choice; survives reloads while the context exists. */
  private _chosenContext: string | undefined;
  private _loading: Promise<void> | undefined;
  private readonly _clients = new Map<string, ClusterClient>();
  private readonly _retiring = new Set<ClusterClient>();
  /** Each watched file and the version it had when it was last read (see `fileVersion`). */
  private readonly _watched = new Map<string, string>();
  private _pollTimer: NodeJS.Timeout | undefined;
  private _reloadTimer: NodeJS.Timeout | undefined;

  constructor(private readonly _options: KubeClusterSessionOptions = {}) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${configSection}.${settingIds.kubeconfig}`)) {
          // Another kubeconfig: an earlier Switch Context choice belonged to the old one.
          this._chosenContext = undefined;
          if (this._loading !== undefined) {
            void this.reload();
          }
        } else if (e.affectsConfiguration(`${configSection}.${settingIds.requestTimeoutSeconds}`)) {
          this._retireClients();
          this._onDidChange.fire();
        }
      }),
    );
  }

  get kubeconfig(): KubeconfigSnapshot | undefined {
    void this.whenLoaded();
    return this._kubeconfig;
  }

  get loadError(): unknown {
    void this.whenLoaded();
    return this._loadError;
  }

  get activeContext(): string | undefined {
    void this.whenLoaded();
    return this._activeContext;
  }

  /** True once a load has completed (successfully or not). */
  get isLoaded(): boolean {
    return this._kubeconfig !== undefined || this._loadError !== undefined;
  }

  /** Loads the kubeconfig on first call; later calls resolve at once. Never rejects (see `loadError`). */
  whenLoaded(): Promise<void> {
    this._loading ??= this._load();
    return this._loading;
  }

  reload(): Promise<void> {
    const previous = this._loading;
    const next = (previous ?? Promise.resolve()).then(() => this._load());
    this._loading = next;
    return next;
  }

  async useContext(name: string): Promise<void> {
    await this.whenLoaded();
    const snapshot = this._requireSnapshot();
    if (!snapshot.contexts.some((c) => c.name === name)) {
      throw new TokenError('ERR_CONTEXT_NOT_FOUND', `Context "${name}" is not in the kubeconfig (${snapshot.files.join(', ')}).`, {
        hint: 'Switch Context to pick one of the kubeconfig\'s contexts.',
      });
    }
    this._chosenContext = name;
    if (this._activeContext !== name) {
      this._activeContext = name;
      this._options.log?.info(`Active context: ${name}`);
      this._onDidChange.fire();
    }
  }

  async client(): Promise<ClusterClient> {
    await this.whenLoaded();
    const snapshot = this._requireSnapshot();
    if (this._activeContext === undefined) {
      throw new TokenError('ERR_CONTEXT_NOT_FOUND', snapshot.currentContextProblem ?? 'No context is selected.', {
        hint: 'Switch Context to pick one of the kubeconfig\'s contexts.',
      });
    }
    return this.clientFor(this._activeContext);
  }

  async clientFor(contextName: string): Promise<ClusterClient> {
    await this.whenLoaded();
    const snapshot = this._requireSnapshot();
    let client = this._clients.get(contextName);
    if (client === undefined) {
      const kube = await this._kube();
      // Throws a TokenError naming the problem when the context is unknown or incomplete.
      client = kube.createClusterClient(snapshot, { context: contextName, timeoutMs: requestTimeoutMs() });
      this._clients.set(contextName, client);
    }
    return client;
  }

  override dispose(): void {
    clearTimeout(this._reloadTimer);
    clearInterval(this._pollTimer);
    this._watched.clear();
    for (const client of [...this._clients.values(), ...this._retiring]) {
      client.dispose();
    }
    this._clients.clear();
    this._retiring.clear();
    super.dispose();
  }

  private _kube(): Promise<KubeModuleExports> {
    return (this._options.loadKube ?? loadKubeModule)();
  }

  private _requireSnapshot(): KubeconfigSnapshot {
    if (this._kubeconfig === undefined) {
      throw this._loadError ?? new TokenError('ERR_KUBECONFIG_MISSING', 'The kubeconfig is not loaded.');
    }
    return this._kubeconfig;
  }

  private async _load(): Promise<void> {
    const override = vscode.workspace.getConfiguration(configSection).get<string | string[]>(settingIds.kubeconfig);
    const candidates = kubeconfigCandidates({ paths: override }).files;
    // The versions before reading: a save made while (or just after) the files are read differs from
    // them, so the poll below reloads again instead of missing it.
    const before = new Map(candidates.map((file) => [file, fileVersion(file)]));
    try {
      const kube = await this._kube();
      this._kubeconfig = kube.loadKubeconfig({ paths: override === undefined || override.length === 0 ? undefined : override });
      this._loadError = undefined;
    } catch (e) {
      // A failed load forgets the previous snapshot: the view must show the problem, and requests
      // must not silently go to a cluster from a file the user has since changed.
      this._kubeconfig = undefined;
      this._loadError = e;
      this._options.log?.warn(`Kubeconfig not loaded: ${describeError(e)}`);
    }
    if (this.isDisposed) {
      return;
    }
    this._retireClients();
    const snapshot = this._kubeconfig;
    const names = new Set(snapshot?.contexts.map((c) => c.name) ?? []);
    if (this._chosenContext !== undefined && names.has(this._chosenContext)) {
      this._activeContext = this._chosenContext;
    } else {
      this._chosenContext = undefined;
      this._activeContext = snapshot?.currentContext !== undefined && names.has(snapshot.currentContext) ? snapshot.currentContext : undefined;
    }
    this._watch([...new Set([...candidates, ...(snapshot?.watchFiles ?? [])])], before);
    if (snapshot !== undefined) {
      this._options.log?.info(`Kubeconfig loaded from ${snapshot.files.join(', ')}; active context: ${this._activeContext ?? '(none)'}`);
    }
    this._onDidChange.fire();
  }

  /**
   * Polls the files (as fs.watchFile would, but against the versions read, not against a baseline
   * taken later, which could already include a save).
   */
  private _watch(files: string[], versions: ReadonlyMap<string, string>): void {
    this._watched.clear();
    for (const file of files) {
      this._watched.set(file, versions.get(file) ?? fileVersion(file));
    }
    if (this._pollTimer === undefined) {
      this._pollTimer = setInterval(() => this._poll(), this._options.watchIntervalMs ?? 1000);
      this._pollTimer.unref?.();
    }
  }

  private _poll(): void {
    for (const [file, seen] of this._watched) {
      stat(file, (error, st) => {
        const now = error ? 'missing' : versionOf(st);
        if (this._watched.get(file) === seen && now !== seen) {
          this._watched.set(file, now);
          this._scheduleReload(file);
        }
      });
    }
  }

  private _scheduleReload(file: string): void {
    // Debounced: an editor's save can touch the file more than once.
    clearTimeout(this._reloadTimer);
    this._reloadTimer = setTimeout(() => {
      this._options.log?.info(`Kubeconfig changed (${file}); reloading`);
      void this.reload();
    }, 150);
  }

  private _retireClients(): void {
    const old = [...this._clients.values()];
    this._clients.clear();
    if (old.length === 0) {
      return;
    }
    for (const client of old) {
      this._retiring.add(client);
    }
    // Requests already in flight on an old client finish; its connections close a little later.
    const timer = setTimeout(() => {
      for (const client of old) {
        this._retiring.delete(client);
        client.dispose();
      }
    }, this._options.retireGraceMs ?? 60_000);
    timer.unref?.();
  }
}

/** The `saTokens.requestTimeoutSeconds` setting in ms (default 30 s). */
export function requestTimeoutMs(): number {
  const seconds = vscode.workspace.getConfiguration(configSection).get<number>(settingIds.requestTimeoutSeconds, 30);
  return Math.max(1, Number.isFinite(seconds) ? seconds : 30) * 1000;
}

/** A file's identity and content version (inode, size, mtime), or 'missing'. */
function versionOf(st: Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

function fileVersion(file: string): string {
  try {
    return versionOf(statSync(file));
  } catch {
    return 'missing';
  }
}
