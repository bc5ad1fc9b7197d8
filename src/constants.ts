/** Every id the extension contributes or reads, in one place, so package.json and code cannot drift silently. */

export const extensionId = 'kube-sa-tokens.kube-sa-tokens';

/** The one name users see: the manifest's display name, command category, view container and output channel. */
export const productName = 'Kubernetes ServiceAccount Tokens';

export const commandIds = {
  refresh: 'saTokens.refresh',
  switchContext: 'saTokens.switchContext',
  selectNamespaces: 'saTokens.selectNamespaces',
  goToServiceAccount: 'saTokens.goToServiceAccount',
  copyName: 'saTokens.copyName',
  copyCreateTokenCommand: 'saTokens.copyCreateTokenCommand',
  showServiceAccountYaml: 'saTokens.showServiceAccountYaml',
  loadMore: 'saTokens.loadMore',
  openKubeconfig: 'saTokens.openKubeconfig',
  pickKubeconfigFile: 'saTokens.pickKubeconfigFile',
  requestToken: 'saTokens.requestToken',
  copyToken: 'saTokens.copyToken',
  forgetToken: 'saTokens.forgetToken',
  forgetAllTokens: 'saTokens.forgetAllTokens',
  renewToken: 'saTokens.renewToken',
  showTrackedTokens: 'saTokens.showTrackedTokens',
  toggleAutoRenew: 'saTokens.toggleAutoRenew',
  inspectToken: 'saTokens.inspectToken',
  decodeToken: 'saTokens.decodeToken',
  copyTokenAs: 'saTokens.copyTokenAs',
  showAccessReport: 'saTokens.showAccessReport',
  copyAccessReport: 'saTokens.copyAccessReport',
  showRbacObjectYaml: 'saTokens.showRbacObjectYaml',
} as const;
export type CommandId = (typeof commandIds)[keyof typeof commandIds];

/** Webview panel types (the serializer's `onWebviewPanel:` activation event names it too). */
export const webviewIds = {
  tokenInspector: 'saTokens.tokenInspector',
} as const;

export const viewIds = {
  container: 'saTokens',
  serviceAccounts: 'saTokens.serviceAccounts',
} as const;

export const contextKeys = {
  /** 'loading' | 'missing' | 'error' | 'ready': drives the view's welcome content. */
  kubeconfigState: 'saTokens.kubeconfigState',
  // Set when the thing really happened (the Get Started walkthrough's steps complete on them, not on clicks).
  /** A kubeconfig with at least one context is loaded. */
  kubeconfigLoaded: 'saTokens.kubeconfigLoaded',
  /** The active context names a complete cluster and user. */
  contextActive: 'saTokens.contextActive',
  /** The Service Accounts view listed at least one service account. */
  serviceAccountsListed: 'saTokens.serviceAccountsListed',
  /** Request Token issued and stored a token in this window. */
  tokenIssued: 'saTokens.tokenIssued',
  /** The Token Inspector showed a token whose signature checked out against the cluster's keys. */
  tokenVerified: 'saTokens.tokenVerified',
  /** Auto-renew was turned on for a token. */
  autoRenewOn: 'saTokens.autoRenewOn',
  /** Renew Token re-issued a token. */
  tokenRenewed: 'saTokens.tokenRenewed',
} as const;

/** Walkthroughs (`contributes.walkthroughs`); VS Code names one `<extensionId>#<id>`. */
export const walkthroughIds = {
  getStarted: 'saTokens.getStarted',
} as const;

export const configSection = 'saTokens';

/** Setting names under `saTokens.`. */
export const settingIds = {
  kubeconfig: 'kubeconfig',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  namespaces: 'namespaces',
  pageSize: 'pageSize',
  audiencePresets: 'audiencePresets',
  sessionOnlyTokens: 'sessionOnlyTokens',
  expiredTokenGraceMinutes: 'expiredTokenGraceMinutes',
  expiryWarningMinutes: 'expiryWarningMinutes',
  longLifetimeWarningHours: 'longLifetimeWarningHours',
} as const;

/** Status bar item ids. */
export const statusBarIds = {
  expiry: 'saTokens.expiry',
} as const;

/** SecretStorage keys: `saTokens.token/<id>` holds one issued token (the only place tokens are persisted). */
export const secretKeys = {
  tokenPrefix: 'saTokens.token/',
  /** A nonce rewritten after every change to the token ledger: SecretStorage tells every other window at once. */
  tokensChanged: 'saTokens.tokensChanged',
} as const;

/** Folders under the extension's globalStorageUri (shared by every window of the profile). */
export const storageFolders = {
  /** The token ledger: one metadata file per stored token (see platform/tokenLedger.ts). Never a token. */
  tokenLedger: 'tokenLedger',
} as const;

/** Memento (globalState) keys. Never a token in any of them. */
export const stateKeys = {
  /** Where versions before the token ledger kept the metadata of stored tokens: read to migrate them, then cleared. */
  tokenIndex: 'saTokens.tokenIndex',
  /** Recently used audiences (not secrets). */
  recentAudiences: 'saTokens.recentAudiences',
} as const;
