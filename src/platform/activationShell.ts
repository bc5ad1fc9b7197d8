import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FeatureHost } from './featureHost';
import { LazyTreeDataProvider } from './lazyTreeDataProvider';

/** What dist/features.js exports (see src/features.ts). */
export interface FeaturesModule<Api> {
  activateFeatures(context: vscode.ExtensionContext, host: FeatureHost): Api;
}

interface Manifest {
  readonly activationEvents?: readonly string[];
  readonly contributes: {
    readonly commands: readonly { readonly command: string }[];
    readonly views: Readonly<Record<string, readonly { readonly id: string }[]>>;
  };
}

type Handler = (...args: never[]) => unknown;

/**
 * Activation does the least VS Code needs: it registers a stand-in for every contributed command,
 * tree view and webview serializer (read from the manifest, so nothing can be forgotten), and loads
 * the features bundle on the first use of any of them. Activation stays instant; the features'
 * cost is paid only by a user who uses them.
 */
export class ActivationShell<Api> {
  private readonly _handlers = new Map<string, Handler>();
  private readonly _trees = new Map<string, { readonly provider: LazyTreeDataProvider; readonly view: vscode.TreeView<unknown> }>();
  private readonly _serializers = new Map<string, vscode.WebviewPanelSerializer>();
  private _loading: Promise<Api> | undefined;
  private _api: Api | undefined;

  constructor(
    private readonly _context: vscode.ExtensionContext,
    private readonly _bundlePath = join(__dirname, 'features.js'),
  ) {
    const manifest = _context.extension.packageJSON as Manifest;
    const subscriptions = _context.subscriptions;
    for (const { command } of manifest.contributes.commands) {
      subscriptions.push(vscode.commands.registerCommand(command, (...args: unknown[]) => this._execute(command, args)));
    }
    for (const { id } of Object.values(manifest.contributes.views).flat()) {
      const provider = new LazyTreeDataProvider(() => this.load());
      const view = vscode.window.createTreeView<unknown>(id, { treeDataProvider: provider, showCollapseAll: true });
      this._trees.set(id, { provider, view });
      subscriptions.push(view, provider);
    }
    for (const event of manifest.activationEvents ?? []) {
      if (event.startsWith('onWebviewPanel:')) {
        const viewType = event.slice('onWebviewPanel:'.length);
        subscriptions.push(
          vscode.window.registerWebviewPanelSerializer(viewType, {
            deserializeWebviewPanel: async (panel, state) => {
              await this.load();
              await this._serializers.get(viewType)?.deserializeWebviewPanel(panel, state);
            },
          }),
        );
      }
    }
  }

  /** The features' API once loaded; throws before (await `load()` first). */
  get api(): Api {
    if (this._api === undefined) {
      throw new Error('The extension has not loaded its features yet: await api.ready first.');
    }
    return this._api;
  }

  /** Loads the features bundle once; later calls share the same promise. */
  load(): Promise<Api> {
    this._loading ??= Promise.resolve().then(() => {
      // A computed path keeps esbuild from inlining the bundle into dist/extension.js.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const features = require(this._bundlePath) as FeaturesModule<Api>;
      this._api = features.activateFeatures(this._context, this._host());
      return this._api;
    });
    return this._loading;
  }

  private async _execute(command: string, args: unknown[]): Promise<unknown> {
    await this.load();
    const handler = this._handlers.get(command);
    if (!handler) {
      throw new Error(`Command ${command} is contributed but no feature implements it.`);
    }
    return handler(...(args as never[]));
  }

  private _host(): FeatureHost {
    return {
      registerCommand: (id, handler) => {
        const contributed = this._context.extension.packageJSON.contributes.commands.some((c: { command: string }) => c.command === id);
        if (!contributed) {
          return vscode.commands.registerCommand(id, handler);
        }
        this._handlers.set(id, handler);
        return new vscode.Disposable(() => this._handlers.delete(id));
      },
      createTreeView: <T>(viewId: string, options: vscode.TreeViewOptions<T>): vscode.TreeView<T> => {
        const tree = this._trees.get(viewId);
        if (!tree) {
          return vscode.window.createTreeView(viewId, options);
        }
        tree.provider.setDelegate(options.treeDataProvider as vscode.TreeDataProvider<unknown>);
        return tree.view as vscode.TreeView<T>;
      },
      registerWebviewPanelSerializer: (viewType, serializer) => {
        this._serializers.set(viewType, serializer);
        return new vscode.Disposable(() => this._serializers.delete(viewType));
      },
    };
  }
}
