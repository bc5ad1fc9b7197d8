/**
 * Stands in for js-yaml in dist/extension.js (`--alias:js-yaml=…` in package.json's build:ext). Only
 * Show YAML and the YAML copy formats serialise, yet bundling js-yaml costs every activation its
 * parse and set-up (about a quarter of the bundle's load time). The real one is dist/yaml.js, required
 * on the first dump. The kube bundle keeps its own js-yaml: it parses the kubeconfig on first contact.
 */
import type * as JsYaml from './yaml';

export function dump(...args: Parameters<typeof JsYaml.dump>): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./yaml.js') as typeof JsYaml).dump(...args);
}
