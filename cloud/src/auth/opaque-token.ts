import { createHash, randomBytes } from 'node:crypto';

/** Creates a random token (256 bits, base64url) and the SHA-256 digest that is stored in its place. */
export function createOpaqueToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

/**
 * Digests a token for lookup. Plain SHA-256 is enough because the tokens carry 256 random bits, so
 * there is nothing to guess. A slow password hash would only slow down every refresh.
 */
export function hashOpaqueToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
