import type { IncomingHttpHeaders } from 'node:http';

/**
 * Subprotocol a browser offers together with the token itself, as in
 * `new WebSocket(url, ['access_token', token])`, because browsers cannot set an Authorization header
 * on a WebSocket. The server selects this name, never the token.
 */
export const TOKEN_SUBPROTOCOL = 'access_token';

/** Extracts the token from an `Authorization: Bearer` header value. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/**
 * Extracts the token of a WebSocket upgrade request: the Authorization header, then the subprotocol
 * offered after `access_token` in Sec-WebSocket-Protocol, then the `access_token` query parameter.
 */
export function upgradeToken(url: string | undefined, headers: IncomingHttpHeaders): string | undefined {
  const fromHeader = bearerToken(headers.authorization);
  if (fromHeader !== undefined) return fromHeader;
  const protocols = (headers['sec-websocket-protocol'] ?? '').split(',').map((protocol) => protocol.trim());
  const index = protocols.indexOf(TOKEN_SUBPROTOCOL);
  if (index >= 0 && protocols[index + 1]) return protocols[index + 1];
  return new URL(url ?? '/', 'http://localhost').searchParams.get('access_token') ?? undefined;
}
