import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { canonicalManifestBytes, type ReleaseManifest, type ReleaseSignature, type SignedReleaseManifest } from '@simtestlab/sync';
import { UpdateRejectedError } from './update-errors';

/** Default folder of the public keys release manifests must be signed with. */
export const DEFAULT_KEYS_DIR = '/etc/simtestlab-edge/release-keys';

/** Suffix of a public key file; the rest of the name is the key id. */
export const PUBLIC_KEY_SUFFIX = '.pub';

/** Parses an ed25519 key from PEM, raising an error that names `source` when it is another kind of key. */
function ed25519Key(pem: string, kind: 'public' | 'private', source: string): KeyObject {
  let key: KeyObject;
  try {
    key = kind === 'public' ? createPublicKey(pem) : createPrivateKey(pem);
  } catch (error) {
    throw new Error(`${source} is not a PEM ${kind} key`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source} is a ${key.asymmetricKeyType ?? 'unknown'} key; release keys must be ed25519`);
  return key;
}

/** Largest key file read, in bytes; an ed25519 key in PEM is about 120 bytes. */
const MAX_KEY_FILE_BYTES = 16 * 1024;

/**
 * Reads a key file as text. Only a regular file (a symlink to one included) of at most 16 KiB is read,
 * so a key path that names a folder, a device or a FIFO fails with a message naming the path.
 */
function readKeyFile(path: string, role: string): string {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new UpdateRejectedError(`${role} ${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (stats.isDirectory()) throw new UpdateRejectedError(`${role} ${path} is a folder; pass the key file itself`);
  if (!stats.isFile()) throw new UpdateRejectedError(`${role} ${path} is not a regular file (a device, socket or FIFO); replace it with the PEM key file`);
  if (stats.size > MAX_KEY_FILE_BYTES) throw new UpdateRejectedError(`${role} ${path} has ${stats.size} bytes, more than a PEM key (at most ${MAX_KEY_FILE_BYTES}); check the file`);
  return readFileSync(path, 'utf8');
}

/** Reads an ed25519 private key in PEM (PKCS#8) from `path`. */
export function readPrivateKey(path: string): KeyObject {
  return ed25519Key(readKeyFile(path, 'release key'), 'private', `release key ${path}`);
}

/**
 * Reads a trusted public key. A private key is rejected even though its public half could be derived
 * from it: a private key on an edge could sign releases for every edge that trusts it.
 */
function readTrustedKey(path: string): KeyObject {
  const pem = readKeyFile(path, 'trusted release key');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new UpdateRejectedError(
      `trusted release key ${path} is a private key; the trusted keys folder takes public keys only: put the public key (sign-release.ts generate-key writes it) there and keep the private key offline`,
    );
  }
  return ed25519Key(pem, 'public', `release key ${path}`);
}

/** Loads every `<keyId>.pub` of `dir` as a trusted ed25519 public key, by key id. */
export function loadTrustedKeys(dir: string): Map<string, KeyObject> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(PUBLIC_KEY_SUFFIX)).sort();
  } catch (error) {
    throw new UpdateRejectedError(`the trusted release keys folder ${dir} cannot be read; install the package's keys there or pass --keys-dir`, { cause: error });
  }
  const keys = new Map<string, KeyObject>();
  for (const file of files) {
    const path = join(dir, file);
    keys.set(file.slice(0, -PUBLIC_KEY_SUFFIX.length), readTrustedKey(path));
  }
  if (keys.size === 0) throw new UpdateRejectedError(`no trusted release key (*${PUBLIC_KEY_SUFFIX}) in ${dir}; install the package's keys there or pass --keys-dir`);
  return keys;
}

/** Signs the canonical bytes of `manifest` with an ed25519 private key. */
export function signManifest(manifest: ReleaseManifest, privateKey: KeyObject, keyId: string): ReleaseSignature {
  return { keyId, signature: sign(null, canonicalManifestBytes(manifest), privateKey).toString('base64') };
}

/**
 * Verifies that a trusted key signed the manifest, and returns that key's id. Signatures of keys not in
 * `trusted` are skipped, so a release may carry several. A signature of a trusted key that does not
 * verify means the manifest was changed after signing or signed with another key of the same id, and
 * rejects the release even if another signature verifies.
 */
export function verifyManifestSignatures(signed: SignedReleaseManifest, trusted: ReadonlyMap<string, KeyObject>, keysDir: string): string {
  const bytes = canonicalManifestBytes(signed.manifest);
  let verifiedBy: string | null = null;
  for (const { keyId, signature } of signed.signatures) {
    const key = trusted.get(keyId);
    if (key === undefined) continue;
    if (!verify(null, bytes, key, Buffer.from(signature, 'base64'))) {
      throw new UpdateRejectedError(
        `the signature of release manifest ${signed.manifest.version} does not verify with key ${keyId}: the manifest was changed after signing or signed with another key; rejecting it`,
      );
    }
    verifiedBy ??= keyId;
  }
  if (verifiedBy === null) {
    const offered = signed.signatures.map((entry) => entry.keyId).join(', ');
    throw new UpdateRejectedError(
      `release manifest ${signed.manifest.version} is signed by ${offered}, and none of them is trusted in ${keysDir} (trusted: ${[...trusted.keys()].join(', ')}); rejecting it`,
    );
  }
  return verifiedBy;
}
