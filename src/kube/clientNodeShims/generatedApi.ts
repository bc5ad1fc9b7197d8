/**
 * Stands in for client-node's generated API barrel (`dist/gen/index.js`) in the kube bundle. KubeConfig
 * imports two names from it (for `makeApiClient`, which this extension never calls: requests go through
 * node:https, see transport.ts), and the barrel drags in every generated API and model, which is more
 * than half the bundle and of its load time. The build marks `./gen/index.js` external and emits this
 * module at `dist/kube/gen/index.js`, where the bundle's `require("./gen/index.js")` finds it.
 */
export { createConfiguration } from '@kubernetes/client-node/dist/gen/configuration.js';
export { ServerConfiguration } from '@kubernetes/client-node/dist/gen/servers.js';
