import postgres from 'postgres';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from '../http-error';

/**
 * SQLSTATEs Postgres raises for a NUL character: 22021 (character_not_in_repertoire) for a NUL in a
 * text parameter, and 22P05 (untranslatable_character) for \u0000 in a jsonb value.
 */
const NUL_SQLSTATES = new Set(['22021', '22P05']);

function nulCharacterError(): HttpError {
  return new HttpError(400, 'invalid_request', 'a value contains a NUL character (\\u0000), which cannot be stored; remove it');
}

/**
 * Rejects with 400 a request whose path or query contains an encoded NUL (%00), before any handler
 * runs. Postgres text cannot store NUL, so such a parameter would otherwise fail in the first query
 * that uses it. URL parsing encodes a raw NUL as %00, so that one form covers both.
 */
export function rejectNulInUrl(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.url.includes('%00')) throw nulCharacterError();
    await next();
  };
}

/**
 * Returns the 400 for a database error caused by a NUL character in a value, such as a NUL in a JSON
 * body, or undefined for any other error. The Postgres error may be the cause of a wrapping error.
 */
export function nulCharacterResponse(error: unknown): HttpError | undefined {
  // Bounded, because nothing stops a chain of causes from looping back on itself.
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof postgres.PostgresError && NUL_SQLSTATES.has(current.code)) return nulCharacterError();
    current = current.cause;
  }
  return undefined;
}
