/**
 * Loads the kube layer bundle (dist/kube/index.js) on first use. It is a separate esbuild output,
 * required at runtime, because @kubernetes/client-node costs ~100 ms to load and activation must
 * stay instant. Only `import type` from src/kube here, so nothing of it is bundled into extension.js.
 */
import { join } from 'node:path';
import type * as KubeModule from '../kube/index';

export type KubeModuleExports = typeof KubeModule;

let loading: Promise<KubeModuleExports> | undefined;

/**
 * Resolves with the kube module's exports (loaded once per process). `modulePath` defaults to
 * `kube/index.js` next to the running bundle (dist/extension.js → dist/kube/index.js).
 */
export function loadKubeModule(modulePath: string = join(__dirname, 'kube', 'index.js')): Promise<KubeModuleExports> {
  if (loading === undefined) {
    // Deferred by a macrotask so the caller's current work (e.g. rendering a "Loading…" item)
    // goes first; the require itself is synchronous.
    loading = new Promise<KubeModuleExports>((resolve, reject) => {
      setImmediate(() => {
        try {
          // A computed path keeps esbuild from bundling the module into the caller.
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          resolve(require(modulePath) as KubeModuleExports);
        } catch (e) {
          loading = undefined; // allow a retry (e.g. after a rebuild)
          reject(e);
        }
      });
    });
  }
  return loading;
}
