/** Reduces text to lowercase ASCII letters, digits and single dashes, for a file name. */
function fileNamePart(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Builds a Content-Disposition value for a CSV download named `energy-<parts>.csv`. The plain
 * `filename` keeps ASCII only, and `filename*` (RFC 6266 and RFC 8187) carries the names as written,
 * for browsers that read it.
 */
export function csvAttachment(parts: readonly string[]): string {
  const ascii = ['energy', ...parts.map((part) => fileNamePart(part) || 'x')].join('-');
  const exact = ['energy', ...parts.map((part) => part.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_'))].join('-');
  // encodeURIComponent leaves ' ( ) * as they are, which RFC 8187 does not allow unencoded.
  const encoded = encodeURIComponent(`${exact}.csv`).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}.csv"; filename*=UTF-8''${encoded}`;
}
