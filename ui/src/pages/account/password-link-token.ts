/**
 * Reads the token of a set-password link. The hub puts it in the fragment (`/set-password#token=…`),
 * which browsers do not send to the server; a `?token=` query parameter is read too. Returns null when
 * neither contains a token.
 */
export function passwordLinkToken(search: string, hash: string): string | null {
  const fromHash = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  const fromQuery = new URLSearchParams(search.replace(/^\?/, '')).get('token');
  const token = (fromHash ?? fromQuery ?? '').trim();
  return token === '' ? null : token;
}
