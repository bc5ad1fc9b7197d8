import type * as vscode from 'vscode';
import type { ClusterClient, KubeconfigSnapshot } from '../kube/clusterClient';

/**
 * The extension's view of "which cluster am I talking to": the merged kubeconfig, the active context
 * (an in-memory choice, never written back) and a lazily created client for it. One instance, shared
 * by the tree, the request flow, the inspector and renewal. Implemented by the explorer.
 */
export interface ClusterSession extends vscode.Disposable {
  /** Fires when the kubeconfig files change, the setting changes, or the active context is switched. */
  readonly onDidChange: vscode.Event<void>;
  /** The last successfully loaded kubeconfig, or undefined while none could be loaded. */
  readonly kubeconfig: KubeconfigSnapshot | undefined;
  /** The load failure (a TokenError) when the kubeconfig is missing or malformed. */
  readonly loadError: unknown;
  readonly activeContext: string | undefined;
  /** Reloads the kubeconfig from disk. */
  reload(): Promise<void>;
  /** Switches the active context for this extension only. */
  useContext(name: string): Promise<void>;
  /** The client for the active context (created on first use, then reused). Rejects with a TokenError. */
  client(): Promise<ClusterClient>;
  /** A client for a named context (tokens remember the context they were issued in). */
  clientFor(contextName: string): Promise<ClusterClient>;
}
