import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The JSON body of every error response: a stable machine code, a sentence, and the bad parameter. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string(),
      parameter: z.string().optional(),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorResponse<S extends ContentfulStatusCode>(c: Context, status: S, code: string, message: string, parameter?: string) {
  const body: ErrorBody = { error: parameter === undefined ? { code, message } : { code, message, parameter } };
  return c.json(body, status);
}

/** Turns the first issue of a failed validation into a 400 naming the parameter, as `invalid_parameter` or `invalid_body`. */
export function validationErrorResponse(c: Context, code: 'invalid_parameter' | 'invalid_body', error: z.ZodError, fallbackParameter: string) {
  const issue = error.issues[0]!;
  const parameter = issue.path.map(String).join('.') || fallbackParameter;
  return errorResponse(c, 400, code, `${parameter}: ${issue.message}`, parameter);
}

/** Parses query parameters with a zod schema, or returns a 400 naming the first bad parameter. */
export function parseQuery<T extends z.ZodType>(c: Context, schema: T): { ok: true; value: z.infer<T> } | { ok: false; response: Response } {
  const parsed = schema.safeParse(c.req.query());
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: validationErrorResponse(c, 'invalid_parameter', parsed.error, 'query') };
}

const errorDescriptions = {
  400: 'Invalid request: a parameter or the body failed validation',
  401: 'Missing, invalid or expired access token, or wrong credentials',
  403: 'The caller may not take this action',
  404: 'No such resource at this site',
  409: 'The request conflicts with the current state',
  413: 'Request body too large',
  429: 'Too many attempts; retry after the Retry-After header',
  500: 'Internal error; the edge node log has the cause',
  502: 'The device rejected or did not confirm the command',
  503: 'The store is stalled or a device is unreachable',
  504: 'The device did not respond in time',
} as const;

type ErrorStatus = keyof typeof errorDescriptions;

interface ErrorResponseDefinition {
  description: string;
  content: { 'application/json': { schema: typeof errorBodySchema } };
}

/** Error responses for route definitions, each with the `Error` body. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, ErrorResponseDefinition> {
  const entries = statuses.map((status) => [status, { description: errorDescriptions[status], content: { 'application/json': { schema: errorBodySchema } } }]);
  return Object.fromEntries(entries) as Record<S, ErrorResponseDefinition>;
}
