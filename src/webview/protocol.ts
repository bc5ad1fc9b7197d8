/** Messages between the token inspector page and the extension host. Imported by both bundles. */
export type PanelToHost = { readonly type: 'ready' };
export type HostToPanel = { readonly type: 'noop' };
