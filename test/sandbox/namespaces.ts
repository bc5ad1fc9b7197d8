// Namespace lifecycle: NamespaceLifecycle admission and Terminating namespaces.
import { forbidden, notFound } from './status';
import type { State } from './state';
import type { KObject } from './store';

/** NamespaceLifecycle admission for create: 404 when missing, 403 when terminating. */
export function admitCreate(state: State, ns: string, resource: string, name: string): void {
  const nsObj = state.store.get('namespaces', undefined, ns);
  if (!nsObj) {throw notFound('namespaces', ns);}
  if (isTerminating(nsObj)) {
    throw forbidden(resource, name, `unable to create new content in namespace ${ns} because it is being terminated`, '', [
      { reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' },
    ]);
  }
}

export function isTerminating(ns: KObject): boolean {
  return (ns.status as { phase?: string } | undefined)?.phase === 'Terminating';
}

/** Removes every namespaced object, then the namespace (what the namespace controller does). */
export function purgeNamespace(state: State, ns: string): void {
  for (const r of ['pods', 'secrets', 'serviceaccounts'] as const) {
    for (const o of state.store.liveObjects(r)) {
      if (o.metadata.namespace === ns) {state.store.delete(r, ns, o.metadata.name);}
    }
  }
  if (state.store.get('namespaces', undefined, ns)) {state.store.delete('namespaces', undefined, ns);}
}
