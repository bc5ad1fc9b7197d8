import type { ClusterClient, KubeconfigSnapshot } from '../../src/kube/clusterClient';
import type { ClusterSession } from '../../src/platform/clusterSession';
import { Emitter } from '../../src/platform/events';
import { FakeClusterClient, fakeConnectionInfo } from './fakeClusterClient';

/** A ClusterSession over fake clients, one per context; the active context and load error are set by the test. */
export class FakeClusterSession implements ClusterSession {
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange = this._onDidChange.event;
  readonly clients = new Map<string, FakeClusterClient>();
  kubeconfig: KubeconfigSnapshot | undefined;
  loadError: unknown;
  /** When set, client() waits for it: a root load held in flight while the test changes the session. */
  clientGate: Promise<void> | undefined;

  constructor(public activeContext: string | undefined = 'fake') {
    if (activeContext !== undefined) {
      this.clients.set(activeContext, new FakeClusterClient(fakeConnectionInfo(activeContext)));
    }
  }

  /** The fake client of `context` (made on first use). */
  cluster(context = this.activeContext ?? 'fake'): FakeClusterClient {
    let client = this.clients.get(context);
    if (client === undefined) {
      client = new FakeClusterClient(fakeConnectionInfo(context));
      this.clients.set(context, client);
    }
    return client;
  }

  async whenLoaded(): Promise<void> {}

  async reload(): Promise<void> {
    this._onDidChange.fire();
  }

  async useContext(name: string): Promise<void> {
    this.activeContext = name;
    this._onDidChange.fire();
  }

  async client(): Promise<ClusterClient> {
    await this.clientGate;
    if (this.activeContext === undefined) {
      throw new Error('no active context');
    }
    return this.clientFor(this.activeContext);
  }

  async clientFor(contextName: string): Promise<ClusterClient> {
    return this.cluster(contextName) as unknown as ClusterClient;
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}
