import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';

export const SIGNING_ALGORITHM = 'ES256';

/** One ES256 key pair from the keys folder. `createdAtMs` comes from the file name, not the file system. */
export interface SigningKey {
  kid: string;
  createdAtMs: number;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** The key that signs new tokens, and every key whose tokens may still be valid. */
export interface KeySet {
  current: SigningKey;
  verifying: SigningKey[];
}

const KEY_FILE = /^(\d{13})-([A-Za-z0-9_-]{43})\.pem$/;

/** Checks whether a file name is one `createSigningKey` writes: `<created ms>-<kid>.pem`. */
export function isSigningKeyFile(file: string): boolean {
  return KEY_FILE.test(file);
}

/** Creates a new ES256 key in `dir` as `<created ms>-<kid>.pem` (PKCS#8, mode 0600) and returns its kid. */
export async function createSigningKey(dir: string, nowMs = Date.now()): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${nowMs}-${kid}.pem`), await exportPKCS8(privateKey), { mode: 0o600 });
  return kid;
}

/**
 * Delay between a key's creation and its first signature. The new key is in the JWKS from the start.
 * A verifier caches the JWKS for its 5 min max-age and may have fetched it up to 60 s before this
 * instance read the new file, so it knows the key by the time tokens signed with it arrive.
 */
export const KEY_PUBLISH_DELAY_MS = (300 + 60) * 1000;

/**
 * Loads the keys folder. The newest key at least `KEY_PUBLISH_DELAY_MS` old signs; a newer one only
 * verifies until then, unless it is the only key. A replaced key stays in the verifying set (and the
 * JWKS) until `retainMs` after its successor started signing, which is when the last token it signed
 * expires. Older files are ignored, and `cloud keys rotate` deletes them.
 */
export async function loadKeySet(dir: string, retainMs: number, nowMs = Date.now()): Promise<KeySet> {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (error) {
    throw new Error(`JWT_KEYS_DIR "${dir}" cannot be read: create it with "cloud keys rotate"`, { cause: error });
  }
  const entries = files
    .map((file) => ({ file, match: KEY_FILE.exec(file) }))
    .filter((entry) => entry.match !== null)
    .map((entry) => ({ file: entry.file, createdAtMs: Number(entry.match![1]), kid: entry.match![2]! }))
    .sort((a, b) => b.createdAtMs - a.createdAtMs);
  if (entries.length === 0) {
    throw new Error(`JWT_KEYS_DIR "${dir}" contains no signing key: create one with "cloud keys rotate"`);
  }

  const keys: SigningKey[] = [];
  for (const [index, entry] of entries.entries()) {
    if (replacedAtMs(entries, index) + retainMs < nowMs) continue;
    const pem = readFileSync(join(dir, entry.file), 'utf8');
    const privateKey = await importPKCS8(pem, SIGNING_ALGORITHM, { extractable: true });
    const { d: _private, ...publicJwk } = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    if (kid !== entry.kid) {
      throw new Error(`signing key file "${entry.file}" does not match its name: its thumbprint is ${kid}`);
    }
    const publicKey = (await importJWK(publicJwk, SIGNING_ALGORITHM)) as CryptoKey;
    keys.push({
      kid,
      createdAtMs: entry.createdAtMs,
      privateKey,
      publicKey,
      publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    });
  }
  const signing = keys.find((key) => key.createdAtMs + KEY_PUBLISH_DELAY_MS <= nowMs) ?? keys.at(-1)!;
  return { current: signing, verifying: keys };
}

/** Returns when the key at `index` (of keys sorted newest first) stopped signing, or Infinity. */
function replacedAtMs(newestFirst: readonly { createdAtMs: number }[], index: number): number {
  return index === 0 ? Infinity : newestFirst[index - 1]!.createdAtMs + KEY_PUBLISH_DELAY_MS;
}

/** Lists key files no longer needed for verification, for `cloud keys rotate` to delete. */
export function expiredKeyFiles(dir: string, retainMs: number, nowMs = Date.now()): string[] {
  const created = readdirSync(dir)
    .map((file) => ({ file, match: KEY_FILE.exec(file) }))
    .filter((entry) => entry.match !== null)
    .map((entry) => ({ file: entry.file, createdAtMs: Number(entry.match![1]) }))
    .sort((a, b) => b.createdAtMs - a.createdAtMs);
  return created.filter((_, index) => replacedAtMs(created, index) + retainMs < nowMs).map((entry) => entry.file);
}
