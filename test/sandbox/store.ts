// In-memory object store with etcd-like revisions: creations and deletions are versioned so that
// paged lists at an older revision stay consistent until the revision is compacted.
import { randomUUID } from 'node:crypto';
import { alreadyExists, notFound } from './status';

export type CoreResource = 'namespaces' | 'nodes' | 'serviceaccounts' | 'pods' | 'secrets';
export type RbacResource = 'roles' | 'clusterroles' | 'rolebindings' | 'clusterrolebindings';
export type Resource = CoreResource | RbacResource;
export const NAMESPACED: Record<Resource, boolean> = {
  namespaces: false,
  nodes: false,
  serviceaccounts: true,
  pods: true,
  secrets: true,
  roles: true,
  clusterroles: false,
  rolebindings: true,
  clusterrolebindings: false,
};

export interface KMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: unknown[];
  finalizers?: string[];
  [k: string]: unknown;
}

export interface KObject {
  metadata: KMeta;
  [k: string]: unknown;
}

export interface Entry {
  key: string;
  createdRev: number;
  deletedRev?: number;
  obj: KObject;
}

export function keyOf(resource: Resource, ns: string | undefined, name: string): string {
  return NAMESPACED[resource] ? `${ns}/${name}` : name;
}

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class Store {
  private _rev = 1000;
  private _compactedRev = 0;
  private readonly _live = new Map<Resource, Map<string, Entry>>();
  private readonly _sorted = new Map<Resource, Entry[] | undefined>();
  private readonly _graveyard = new Map<Resource, Entry[]>();
  private readonly _now: () => number;

  constructor(now: () => number) {
    this._now = now;
    for (const r of Object.keys(NAMESPACED) as Resource[]) {
      this._live.set(r, new Map());
      this._graveyard.set(r, []);
    }
  }

  get revision(): number {
    return this._rev;
  }

  get compactedRevision(): number {
    return this._compactedRev;
  }

  /** Forgets history up to the current revision: older continue tokens become 410 Expired. */
  compact(): number {
    this._rev++;
    this._compactedRev = this._rev;
    for (const r of this._graveyard.keys()) {this._graveyard.set(r, []);}
    return this._compactedRev;
  }

  get(resource: Resource, ns: string | undefined, name: string): KObject | undefined {
    return this._live.get(resource)!.get(keyOf(resource, ns, name))?.obj;
  }

  mustGet(resource: Resource, ns: string | undefined, name: string): KObject {
    const o = this.get(resource, ns, name);
    if (!o) {throw notFound(resource, name);}
    return o;
  }

  count(resource: Resource): number {
    return this._live.get(resource)!.size;
  }

  /** Inserts a new object, assigning uid, resourceVersion and creationTimestamp unless preset. */
  create(resource: Resource, obj: KObject): KObject {
    const m = obj.metadata;
    const key = keyOf(resource, m.namespace, m.name);
    const live = this._live.get(resource)!;
    if (live.has(key)) {throw alreadyExists(resource, m.name);}
    this._rev++;
    m.uid ||= randomUUID();
    m.resourceVersion = String(this._rev);
    m.creationTimestamp ||= rfc3339(this._now());
    live.set(key, { key, createdRev: this._rev, obj });
    this._sorted.set(resource, undefined);
    return obj;
  }

  /** Replaces a live object (an update: no history kept, as for `touch`). */
  replace(resource: Resource, obj: KObject): KObject {
    const m = obj.metadata;
    const entry = this._live.get(resource)!.get(keyOf(resource, m.namespace, m.name));
    if (!entry) {throw notFound(resource, m.name);}
    this._rev++;
    obj.metadata = { ...m, uid: entry.obj.metadata.uid, creationTimestamp: entry.obj.metadata.creationTimestamp, resourceVersion: String(this._rev) };
    entry.obj = obj;
    return obj;
  }

  /** In-place update (no history kept for updates). */
  touch(obj: KObject): void {
    this._rev++;
    obj.metadata.resourceVersion = String(this._rev);
  }

  delete(resource: Resource, ns: string | undefined, name: string): KObject {
    const key = keyOf(resource, ns, name);
    const live = this._live.get(resource)!;
    const e = live.get(key);
    if (!e) {throw notFound(resource, name);}
    this._rev++;
    live.delete(key);
    e.deletedRev = this._rev;
    this._graveyard.get(resource)!.push(e);
    this._sorted.set(resource, undefined);
    return e.obj;
  }

  /** All entries visible at revision `rev`, sorted by key. */
  snapshot(resource: Resource, rev: number): Entry[] {
    let sorted = this._sorted.get(resource);
    if (!sorted) {
      sorted = [...this._live.get(resource)!.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this._sorted.set(resource, sorted);
    }
    if (rev >= this._rev) {return sorted;}
    const dead = this._graveyard.get(resource)!.filter((e) => e.createdRev <= rev && (e.deletedRev ?? Infinity) > rev);
    const alive = sorted.filter((e) => e.createdRev <= rev);
    if (!dead.length) {return alive;}
    return [...alive, ...dead].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  liveObjects(resource: Resource): KObject[] {
    return [...this._live.get(resource)!.values()].map((e) => e.obj);
  }
}
