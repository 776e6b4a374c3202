import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** The JSON body of every error response: a stable machine code, a sentence, and the bad parameter. */
export interface ErrorBody {
  error: { code: string; message: string; parameter?: string };
}

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string, parameter?: string) {
  const body: ErrorBody = { error: parameter === undefined ? { code, message } : { code, message, parameter } };
  return c.json(body, status);
}

/** Parses query parameters with a zod schema, or returns a 400 naming the first bad parameter. */
export function parseQuery<T extends z.ZodType>(c: Context, schema: T): { ok: true; value: z.infer<T> } | { ok: false; response: Response } {
  const parsed = schema.safeParse(c.req.query());
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const parameter = issue.path.map(String).join('.') || 'query';
  return {
    ok: false,
    response: errorResponse(c, 400, 'invalid_parameter', `${parameter}: ${issue.message}`, parameter),
  };
}
