import { HttpError } from '../api/http-error';

/** Seconds a client waits, sent as Retry-After, before it retries a request that Postgres could not take. */
export const DATABASE_RETRY_AFTER_S = 5;

/** Socket errors of Node and connection errors of postgres.js that mean the server is out of reach. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
]);

/**
 * SQLSTATEs of a server that is going away or not yet accepting: admin_shutdown, crash_shutdown and
 * cannot_connect_now. Class 08 (connection exception) is matched by its prefix.
 */
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']);

/** Checks whether `error` means that Postgres cannot be reached, as opposed to rejecting a statement. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || SHUTDOWN_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  // A dual-stack connect fails with an AggregateError whose parts carry the codes.
  return error instanceof AggregateError && error.errors.some(isDatabaseUnavailable);
}

/** Builds the 503 a client gets when Postgres is out of reach; `retried` names what the client retries after Retry-After. */
export function databaseUnavailable(retried = 'the request'): HttpError {
  return new HttpError(503, 'database_unavailable', `the hub cannot reach its database; retry ${retried} in ${DATABASE_RETRY_AFTER_S} s`, {
    headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_S) },
  });
}
