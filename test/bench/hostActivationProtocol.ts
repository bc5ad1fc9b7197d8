/** What hostActivation.ts (inside the extension host) and activationRows.ts (the bench) agree on. */
export const oursId = 'kube-sa-tokens.kube-sa-tokens';
export const peerId = 'kube-sa-tokens-bench.empty-extension';

/** The extension host's own performance marks for one extension, as ms durations. */
export interface HostActivationTiming {
  /** `willLoadExtensionCode` → `didLoadExtensionCode`: the host `require`s the main module. */
  readonly loadCodeMs: number;
  /** `willActivateExtension` → `didActivateExtension`: `activate()` called until its result settled. */
  readonly activateMs: number;
  /** `willLoadExtensionCode` → `didActivateExtension`, including the host's own context set-up in between. */
  readonly totalMs: number;
  /** Who activated it: the host (its activation event) or the bench module. */
  readonly activatedBy: 'host' | 'bench';
}

export interface HostActivationResult {
  readonly timings: Record<string, HostActivationTiming>;
  readonly vscodeVersion: string;
  readonly error?: string;
}
