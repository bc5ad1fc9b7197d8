/**
 * kubectl's AGE column (`duration.HumanDuration`): `45s`, `12m`, `5h`, `3d`, `2y`, with a second unit
 * where kubectl shows one (`3m20s`, `5h10m`, `2y40d`). Empty when the timestamp is missing or invalid.
 */
export function formatKubeAge(creationTimestamp: string | undefined, now: number): string {
  if (creationTimestamp === undefined) {
    return '';
  }
  const created = Date.parse(creationTimestamp);
  if (Number.isNaN(created)) {
    return '';
  }
  const seconds = Math.max(0, Math.floor((now - created) / 1000));
  if (seconds < 120) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) {
    return `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) {
    return `${hours}h`;
  }
  if (hours < 24 * 8) {
    const h = hours % 24;
    const days = Math.floor(hours / 24);
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  const days = Math.floor(hours / 24);
  if (days < 365 * 2) {
    return `${days}d`;
  }
  if (days < 365 * 8) {
    const d = days % 365;
    const years = Math.floor(days / 365);
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${Math.floor(days / 365)}y`;
}
