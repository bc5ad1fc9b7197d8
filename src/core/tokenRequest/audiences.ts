/** Result of {@link normalizeAudiences}: the cleaned list plus why anything was rejected. */
export interface NormalizedAudiences {
  /** Trimmed, de-duplicated audiences in first-seen order. Empty means "the API server's default". */
  readonly audiences: string[];
  /** One actionable sentence per rejected entry; empty when the input is acceptable. */
  readonly problems: string[];
  /** Audiences that appeared more than once (kept once). */
  readonly duplicates: string[];
}

/**
 * Trims, de-duplicates and checks audiences. The server accepts anything (even empty strings),
 * so these checks exist to catch typos before a token is minted for an audience nobody accepts.
 */
export function normalizeAudiences(list: readonly string[]): NormalizedAudiences {
  const audiences: string[] = [];
  const problems: string[] = [];
  const duplicates: string[] = [];
  list.forEach((entry, index) => {
    const audience = entry.trim();
    if (audience === '') {
      problems.push(`Audience ${index + 1} is empty. Remove it, or leave the whole list empty to use the API server's default audiences.`);
    } else if (/\s/.test(audience)) {
      problems.push(`Audience "${audience}" contains whitespace. An audience is a single identifier such as a URL (e.g. https://vault.example); enter several as separate entries.`);
    } else if (audiences.includes(audience)) {
      if (!duplicates.includes(audience)) {
        duplicates.push(audience);
      }
    } else {
      audiences.push(audience);
    }
  });
  return { audiences, problems, duplicates };
}

/** Splits free text typed in one input box into entries: comma-separated, blanks between commas kept for reporting. */
export function splitAudienceInput(text: string): string[] {
  return text.trim() === '' ? [] : text.split(',');
}
