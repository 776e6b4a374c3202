import { OpenAPIHono, type Hook, type z } from '@hono/zod-openapi';
import type { AppEnv } from './env';
import { HttpError } from './http-error';

/** Turns a failed zod validation into a 400 listing each field path and what is wrong with it. */
export function invalidRequest(error: z.ZodError): HttpError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const first = issues[0]!;
  return new HttpError(400, 'invalid_request', `${first.path}: ${first.message}`, { parameter: first.path, issues });
}

const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) throw invalidRequest(result.error);
};

/** Creates a router whose routes validate their input and document themselves in the OpenAPI spec. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/** The security requirement of every authenticated route. */
export const bearerSecurity = [{ bearerAuth: [] }];
