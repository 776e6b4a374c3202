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

/** Fetches `url`, turning a network failure into HubUnreachableError that names the hub URL. */
export async function fetchHub(fetchImpl: typeof fetch, cloudUrl: string, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new HubUnreachableError(`cannot reach the cloud hub at ${cloudUrl}: ${cause}; check the URL and the network`, { cause: error });
  }
}
