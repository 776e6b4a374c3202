import { pairResponseSchema, type PairRequest, type PairResponse } from '@simtestlab/sync';
import { fetchHub, HubResponseError, readHubError, retryAfterSeconds } from './hub-errors';
import { CURRENT_EDGE_PROTOCOL, edgeProtocolHeaders, findProtocolMismatch, type EdgeProtocol } from './hub-protocol';

/** Default time limit of the pairing request, so a hub that accepts the connection but never responds cannot hang pairing. */
export const PAIRING_TIMEOUT_MS = 15_000;

/**
 * Sends `POST /api/edge/pair` to the hub at `cloudUrl`. A 400 with code invalid_pairing_code and a 429
 * become HubResponseError with a message for the installer, a hub of an incompatible protocol
 * ProtocolMismatchError naming both versions, and an unreachable hub or one that does not respond within
 * `timeoutMs` (PAIRING_TIMEOUT_MS by default) HubUnreachableError. `protocol` is for tests that force
 * another version; `signal` aborts the request.
 */
export async function requestPairing(
  cloudUrl: string,
  request: PairRequest,
  fetchImpl: typeof fetch = fetch,
  protocol: EdgeProtocol = CURRENT_EDGE_PROTOCOL,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<PairResponse> {
  const init: RequestInit = {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...edgeProtocolHeaders(protocol) },
    body: JSON.stringify(request),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const response = await fetchHub(fetchImpl, cloudUrl, new URL('/api/edge/pair', cloudUrl), init, options.timeoutMs ?? PAIRING_TIMEOUT_MS);
  // A 426 leaves the code unused. After a 200 from a hub outside the edge's range the code is spent, but
  // no credential is stored, because this edge could not talk to that hub.
  const mismatch = await findProtocolMismatch(response, cloudUrl, protocol);
  if (mismatch !== null) throw mismatch;
  if (response.ok) return pairResponseSchema.parse(await response.json());

  const { code, message } = await readHubError(response);
  if (response.status === 400 && code === 'invalid_pairing_code') {
    throw new HubResponseError(400, code, 'pairing code is invalid, already used or expired; ask an admin to issue a new code in the cloud hub');
  }
  if (response.status === 429) {
    const retryAfterS = retryAfterSeconds(response);
    const when = retryAfterS === null ? 'later' : `in ${retryAfterS} s (after ${new Date(Date.now() + retryAfterS * 1000).toISOString()})`;
    throw new HubResponseError(429, code, `too many pairing attempts from this address; retry ${when}`, retryAfterS);
  }
  throw new HubResponseError(response.status, code, `pairing with the cloud hub at ${cloudUrl} failed with ${response.status}: ${message}`);
}
