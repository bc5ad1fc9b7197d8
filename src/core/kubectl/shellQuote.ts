/**
 * Quotes one argument for POSIX shells (bash, zsh, sh). Safe words are left bare for readability;
 * anything else is single-quoted, with embedded single quotes written as '\''.
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_\-.,:/@%+=]+$/.test(arg)) {
    return arg;
  }
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
