import { pairResponseSchema, type PairRequest, type PairResponse } from '@simtestlab/sync';
import { fetchHub, HubResponseError, readHubError, retryAfterSeconds } from './hub-errors';

/**
 * Sends `POST /api/edge/pair` to the hub at `cloudUrl`. A 400 with code invalid_pairing_code and a 429
 * become HubResponseError with a message for the installer; an unreachable hub becomes HubUnreachableError.
 */
export async function requestPairing(cloudUrl: string, request: PairRequest, fetchImpl: typeof fetch = fetch): Promise<PairResponse> {
  const response = await fetchHub(fetchImpl, cloudUrl, new URL('/api/edge/pair', cloudUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
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
