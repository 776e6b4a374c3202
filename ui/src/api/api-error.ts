/** An error response of the edge or hub API, with the server's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; parameter?: unknown };
}

/** Builds an ApiError from a failed response's parsed body, falling back to the HTTP status text. */
export function apiErrorFrom(response: Response, body: unknown): ApiError {
  const error = (body as ErrorBody | undefined)?.error;
  const retryAfter = Number(response.headers.get('Retry-After'));
  return new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : `http_${response.status}`,
    typeof error?.message === 'string' ? error.message : `the server responded ${response.status} ${response.statusText}`.trim(),
    typeof error?.parameter === 'string' ? error.parameter : undefined,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/** Returns a message for any thrown value, for error banners. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'the server cannot be reached; check the network connection';
  return error instanceof Error ? error.message : String(error);
}
