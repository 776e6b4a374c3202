import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** File in the data folder that contains the edge's token signing secret, base64url-encoded. */
export const EDGE_TOKEN_KEY_FILE = 'edge-token-key';

/** 256 bits, the HMAC-SHA-256 output size that RFC 7518 requires as the minimum HS256 key size. */
const KEY_BYTES = 32;

/**
 * Loads the per-edge HS256 secret from the data folder, creating it with mode 0600 on first use.
 * Deleting the file invalidates every edge token issued so far.
 */
export function loadEdgeTokenKey(dataDir: string): Uint8Array {
  const path = join(dataDir, EDGE_TOKEN_KEY_FILE);
  try {
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create the token signing key ${path}: ${(error as Error).message}`, { cause: error });
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
  if (key.length < KEY_BYTES) throw new Error(`the token signing key ${path} is shorter than ${KEY_BYTES} bytes; delete it to create a new one`);
  return new Uint8Array(key);
}
