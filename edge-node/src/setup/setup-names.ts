/**
 * Checks and normalization of what the installer types for names and time zones: site and device
 * names end up in the site file, in logs and on screens, so they must not carry control characters.
 */

/**
 * C0 and C1 control characters (newline, NUL and the like) and the bidirectional embedding, override
 * and isolate characters U+202A-U+202E and U+2066-U+2069, which reorder the text shown around them.
 */
const FORBIDDEN_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** Letters that NFKD does not split into a base letter and a mark, spelled the usual way in ASCII. */
const ASCII_SPELLINGS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Returns the problem with a site or device name, or null when it is fine. */
export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200) return 'give a name of 1 to 200 characters';
  const forbidden = trimmed.match(FORBIDDEN_IN_NAMES)?.[0];
  if (forbidden !== undefined) {
    const codePoint = `U+${forbidden.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return `contains the control character ${codePoint}; remove line breaks, tabs and invisible formatting characters`;
  }
  return null;
}

/**
 * Turns a name into an identifier for a device key or site id: lowercase ASCII letters, digits and
 * dashes, at most 60 characters, so a `-<n>` suffix still fits in 64. Accents are dropped, so
 * "Müller Straße" gives "muller-strasse".
 */
export function identifierFromName(name: string, fallback: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replaceAll(/\p{M}+/gu, '')
    .replaceAll(/[ßæœøłđðþı]/g, (letter) => ASCII_SPELLINGS[letter]!)
    .replaceAll(/[^a-z0-9]+/g, '-')
    .replaceAll(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? fallback : slug;
}

/**
 * Returns the canonical spelling of an IANA time zone name as the runtime's zone database has it
 * ("utc" gives "UTC", "europe/berlin" gives "Europe/Berlin"), or null when the runtime does not know it.
 */
export function canonicalTimeZone(text: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: text.trim() }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
