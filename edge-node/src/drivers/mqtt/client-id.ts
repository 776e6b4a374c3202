import { randomBytes } from 'node:crypto';

/**
 * Suffix shared by every client id this process makes: the process id and random bytes, so two edge
 * nodes or two test runs on one broker never take over each other's session.
 */
const processSuffix = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
const activeIds = new Set<string>();

function sanitize(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Reserves an MQTT client id made of `parts` (such as site and device key) and the process suffix.
 * The id stays the same for the life of one client, across reconnects. When a client with the same
 * id is still active in this process, a counter is appended. Call `releaseClientId` when the client
 * ends.
 */
export function reserveClientId(parts: readonly string[]): string {
  const base = [...parts.map(sanitize), processSuffix].join('-');
  let id = base;
  for (let instance = 2; activeIds.has(id); instance++) id = `${base}-${instance}`;
  activeIds.add(id);
  return id;
}

/** Frees a client id reserved with `reserveClientId`. */
export function releaseClientId(id: string): void {
  activeIds.delete(id);
}
