/**
 * The stored token id a command was given: the id itself, or whatever carries it (a tree node's `tokenId`,
 * a quick pick row's `meta.id`, an API object's `token.id`, or an `id`). One resolver for every command.
 */
export function tokenIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return arg === '' ? undefined : arg;
  }
  if (typeof arg !== 'object' || arg === null) {
    return undefined;
  }
  const carrier = arg as { tokenId?: unknown; id?: unknown; meta?: { id?: unknown }; token?: unknown };
  const token = typeof carrier.token === 'object' && carrier.token !== null ? (carrier.token as { id?: unknown }) : undefined;
  for (const candidate of [carrier.tokenId, carrier.meta?.id, token?.id, carrier.id]) {
    if (typeof candidate === 'string' && candidate !== '') {
      return candidate;
    }
  }
  return undefined;
}
