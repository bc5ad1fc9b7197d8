/** How many recently used audiences the Request Token flow remembers. */
export const maxRecentAudiences = 10;

/**
 * Most-recently-used list update: the audiences just used go first (in their given order), older
 * entries follow without duplicates, and the list is cut to `max`. Audiences are not secrets.
 */
export function rememberAudiences(recent: readonly string[], used: readonly string[], max = maxRecentAudiences): string[] {
  const result: string[] = [];
  for (const audience of [...used, ...recent]) {
    if (typeof audience === 'string' && audience !== '' && !result.includes(audience)) {
      result.push(audience);
    }
  }
  return result.slice(0, max);
}
