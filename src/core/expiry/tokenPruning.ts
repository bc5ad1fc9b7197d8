/** The fields pruning looks at. */
export interface PrunableToken {
  readonly id: string;
  /** JWT `exp`, ms since the epoch. */
  readonly expiresAt: number;
  /** Local clock minus server clock, ms (positive: local runs ahead). */
  readonly clockSkewMs?: number;
}

/**
 * Ids of tokens expired for longer than the grace period at `now` (local clock). The grace period
 * keeps a just-expired token visible for a while, so the user sees why a call failed.
 * A negative or non-finite grace means "never prune".
 */
export function tokensToPrune(tokens: readonly PrunableToken[], now: number, graceMs: number): string[] {
  if (!Number.isFinite(graceMs) || graceMs < 0) {
    return [];
  }
  return tokens
    .filter((t) => Number.isFinite(t.expiresAt) && now - (t.clockSkewMs ?? 0) >= t.expiresAt + graceMs)
    .map((t) => t.id);
}

/** When the next token becomes prunable (ms since the epoch, local clock), or undefined when none will. */
export function nextPruneAt(tokens: readonly PrunableToken[], graceMs: number): number | undefined {
  if (!Number.isFinite(graceMs) || graceMs < 0) {
    return undefined;
  }
  let next = Number.POSITIVE_INFINITY;
  for (const t of tokens) {
    if (Number.isFinite(t.expiresAt)) {
      next = Math.min(next, t.expiresAt + graceMs + (t.clockSkewMs ?? 0));
    }
  }
  return Number.isFinite(next) ? next : undefined;
}
