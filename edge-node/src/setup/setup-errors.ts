import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * A setup step that failed, with the HTTP status the route returns. The statuses are 400 for bad input
 * (then `parameter` names the field), 401 for a bad token or code, 404 and 409 for a step out of order.
 * Too many wrong codes give 429 with `retryAfterS`, and a hub that is unreachable or rejects the
 * request gives 502.
 */
export class SetupError extends Error {
  override name = 'SetupError';
  readonly parameter?: string;
  readonly retryAfterS?: number;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    details: { parameter?: string; retryAfterS?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.parameter = details.parameter;
    this.retryAfterS = details.retryAfterS;
  }
}

/** Creates the 400 for the body field `field`; the message starts with the field name. */
export function invalidField(field: string, problem: string): SetupError {
  return new SetupError(400, 'invalid_body', `${field}: ${problem}`, { parameter: field });
}
