/** The hub could not be reached at all: DNS, connection or TLS failure. Retryable. */
export class HubUnreachableError extends Error {
  override name = 'HubUnreachableError';
}

/** Error status from the hub, with its machine `code` when the body contained one. */
export class HubResponseError extends Error {
  override name = 'HubResponseError';
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

/** The hub revoked this edge. Permanent: only pairing again with a new code restores access. */
export class EdgeRevokedError extends HubResponseError {
  override name = 'EdgeRevokedError';
}

/** Reads the `{ error: { code, message } }` body the hub sends with an error status, if it is one. */
export async function readHubError(response: Response): Promise<{ code: string | null; message: string }> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return {
      code: typeof body.error?.code === 'string' ? body.error.code : null,
      message: typeof body.error?.message === 'string' ? body.error.message : text.slice(0, 200),
    };
  } catch {
    // A proxy in front of the hub can respond with HTML or plain text.
    return { code: null, message: text.slice(0, 200) };
  }
}

/** Returns the Retry-After header in seconds, or null when it is absent or not a number of seconds. */
export function retryAfterSeconds(response: Response): number | null {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** Statuses that carry a Location to follow; 304 Not Modified is not one of them. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches `url`, turning a network failure into HubUnreachableError that names the hub URL. With
 * `timeoutMs`, a hub (or a proxy in front of it) that accepts the connection but sends no response
 * within that time also gives HubUnreachableError. An abort through `init.signal` rejects with the
 * signal's reason. A 3xx response raises HubResponseError that names the Location.
 */
export async function fetchHub(fetchImpl: typeof fetch, cloudUrl: string, url: URL, init: RequestInit, timeoutMs?: number): Promise<Response> {
  const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const signals = [init.signal, timeout].filter((signal): signal is AbortSignal => signal !== undefined && signal !== null);
  // Redirects are not followed: the edge's credential and data go to the hub it paired with, never to
  // whatever host a redirect names.
  const request: RequestInit = { ...init, redirect: 'manual' };
  if (signals.length > 0) request.signal = AbortSignal.any(signals);
  let response: Response;
  try {
    response = await fetchImpl(url, request);
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason;
    if (timeout?.aborted) {
      throw new HubUnreachableError(`the cloud hub at ${url.href} did not respond within ${timeoutMs! / 1000} s; check the URL, the network and the hub`, { cause: error });
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new HubUnreachableError(`cannot reach the cloud hub at ${cloudUrl}: ${cause}; check the URL and the network`, { cause: error });
  }
  if (REDIRECT_STATUSES.has(response.status)) {
    await response.body?.cancel();
    const location = response.headers.get('location') ?? '(no Location header)';
    throw new HubResponseError(
      response.status,
      'redirect_refused',
      `the cloud hub at ${url.href} answered ${response.status} with a redirect to ${location}, which the edge does not follow; serve the hub at ${cloudUrl} directly or pair the edge with the hub's final URL`,
    );
  }
  return response;
}
