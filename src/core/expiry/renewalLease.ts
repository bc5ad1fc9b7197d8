/**
 * A cross-window renewal lease: one window claims a token's renewal for a while, so N open windows make one
 * TokenRequest, not N. The window that holds it renews; the others wait for the renewed token to reach them
 * through the store.
 */
export interface RenewalLease {
  /** Random id of the window that holds it. */
  readonly owner: string;
  /** Epoch ms after which the lease is free again (a window that crashed mid-renewal must not block others forever). */
  readonly deadline: number;
}

/** Three request timeouts (the TokenRequest plus retries of a slow connection) and some slack. */
export function leaseDeadline(now: number, requestTimeoutMs: number): number {
  return now + 3 * requestTimeoutMs + 10_000;
}

export function isLeaseLive(lease: RenewalLease | undefined, now: number): lease is RenewalLease {
  return lease !== undefined && lease.deadline > now;
}

export function serializeLease(lease: RenewalLease): string {
  return JSON.stringify({ owner: lease.owner, deadline: lease.deadline });
}

/** The stored lease, or undefined when absent or unreadable (an unreadable one blocks nobody). */
export function parseLease(value: string | undefined): RenewalLease | undefined {
  if (value === undefined) {
    return undefined;
  }
  try {
    const raw = JSON.parse(value) as { owner?: unknown; deadline?: unknown };
    return typeof raw.owner === 'string' && raw.owner !== '' && typeof raw.deadline === 'number' && Number.isFinite(raw.deadline)
      ? { owner: raw.owner, deadline: raw.deadline }
      : undefined;
  } catch {
    return undefined;
  }
}
