import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';

/**
 * An error that becomes an HTTP response: the status, a stable machine code and a sentence naming
 * what failed and what to do. Handlers throw it, and the app's error handler renders it.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: { parameter?: string; issues?: { path: string; message: string }[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

/** 404 for a resource that does not exist or that the caller may not see, so ids cannot be probed. */
export function notFound(resource: string, id: string): HttpError {
  return new HttpError(404, 'not_found', `${resource} ${id} not found`);
}

/** 403 for a resource the caller may see but not change in this way. */
export function forbidden(message: string): HttpError {
  return new HttpError(403, 'forbidden', message);
}

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string(),
      parameter: z.string().optional(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorBody(error: HttpError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details.parameter === undefined ? {} : { parameter: error.details.parameter }),
      ...(error.details.issues === undefined ? {} : { issues: error.details.issues }),
    },
  };
}

/** Standard error responses for route definitions. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 429 | 503)[]) {
  const descriptions: Record<number, string> = {
    400: 'Invalid request: the body or a parameter failed validation',
    401: 'Missing, invalid or expired credentials',
    403: 'The caller may see the resource but not do this',
    404: 'No such resource, or the caller may not see it',
    409: 'The change conflicts with existing data',
    413: 'Request body too large',
    429: 'Too many attempts; retry after the Retry-After header',
    503: 'A backing service is unavailable',
  };
  return Object.fromEntries(
    statuses.map((status) => [status, { description: descriptions[status]!, content: { 'application/json': { schema: errorBodySchema } } }]),
  );
}
