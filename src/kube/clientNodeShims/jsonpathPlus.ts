/**
 * Stands in for jsonpath-plus in the kube bundle (`--alias:jsonpath-plus=…` in package.json).
 * client-node uses it only in the gcp and azure auth providers, which kubectl removed and the
 * kubeconfig validation refuses before client-node sees them (kubeconfigValidation.ts); leaving it out
 * trims the first cluster contact. Should client-node ever call it on our path, this fails loudly.
 */
export function JSONPath(): never {
  throw new Error('jsonpath-plus is not bundled with kube-sa-tokens: client-node tried to run a removed auth provider (gcp or azure).');
}
