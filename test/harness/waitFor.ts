// Waiting on state instead of sleeping, for the tests in Node, in the extension host and in the browser checks.

export interface WaitOptions {
  /** Between probes; the probe itself may take longer (a page query, a request). */
  readonly intervalMs?: number;
  /** Describes the last observation for the failure message (what the probe saw instead). */
  readonly lastSeen?: () => string;
}

/**
 * Polls until `probe` returns a value (not undefined or false), or fails naming what was awaited,
 * for how long, and what was seen last (the probe's last error, or `lastSeen`).
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) {
        return value;
      }
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const seen = options.lastSeen?.() ?? (lastError === undefined ? undefined : String(lastError));
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}${seen === undefined ? '' : `; last seen: ${seen}`}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}

/**
 * For a check that something does NOT happen, where nothing signals that it never will: polls `holds`
 * for the whole of `durationMs` and fails as soon as it stops holding.
 */
export async function holdsFor(what: string, holds: () => boolean | Promise<boolean>, durationMs: number): Promise<void> {
  const end = Date.now() + durationMs;
  for (;;) {
    if (!(await holds())) {
      throw new Error(`Expected ${what} for ${durationMs / 1000} s, but it stopped holding after ${((durationMs - (end - Date.now())) / 1000).toFixed(1)} s`);
    }
    if (Date.now() >= end) {
      return;
    }
    await new Promise((r) => setTimeout(r, Math.min(100, end - Date.now())));
  }
}
