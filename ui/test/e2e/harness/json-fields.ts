/*
 * Checks of the few response fields the harness reads from the hub and the edge. The UI package has no
 * zod of its own, so these name the field and show the body instead.
 */

function describeBody(body: unknown): string {
  return JSON.stringify(body)?.slice(0, 500) ?? String(body);
}

/** Returns `body[key]` when `body` is an object with a string there; throws naming `context` and the body otherwise. */
export function stringField(body: unknown, key: string, context: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string') throw new Error(`${context}: expected a string "${key}" in ${describeBody(body)}`);
  return value;
}

/** Returns `body[key]` when `body` is an object with an object there; throws naming `context` and the body otherwise. */
export function objectField(body: unknown, key: string, context: string): Record<string, unknown> {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${context}: expected an object "${key}" in ${describeBody(body)}`);
  }
  return value as Record<string, unknown>;
}
