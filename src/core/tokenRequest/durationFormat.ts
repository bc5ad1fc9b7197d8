/** Seconds in each duration unit, largest first (parsing accepts the same units). No imports: the inspector page uses this file. */
export const unitSeconds: Readonly<Record<string, number>> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * Formats seconds for people: `1h 30m`, `10m`, `7d`, `1d 2h`, `1h 7s`, `0s`. Zero parts are left out.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return String(seconds);
  }
  let rest = Math.round(Math.abs(seconds));
  const parts: string[] = [];
  for (const [unit, size] of Object.entries(unitSeconds)) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) {
      parts.push(`${count}${unit}`);
    }
  }
  const text = parts.length === 0 ? '0s' : parts.join(' ');
  return seconds < 0 ? `-${text}` : text;
}

/**
 * Formats seconds as a Go duration that `kubectl --duration` accepts (Go has no day unit): `2h30m`, `168h`, `45s`.
 */
export function formatGoDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  const text = `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${secs > 0 ? `${secs}s` : ''}`;
  return text === '' ? '0s' : text;
}
