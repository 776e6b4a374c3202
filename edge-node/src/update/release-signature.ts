import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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

/** Reads an ed25519 private key in PEM (PKCS#8) from `path`. */
export function readPrivateKey(path: string): KeyObject {
  return ed25519Key(readFileSync(path, 'utf8'), 'private', `release key ${path}`);
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
    keys.set(file.slice(0, -PUBLIC_KEY_SUFFIX.length), ed25519Key(readFileSync(path, 'utf8'), 'public', `release key ${path}`));
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
 * verify means the manifest was changed after signing, and rejects the release even if another verifies.
 */
export function verifyManifestSignatures(signed: SignedReleaseManifest, trusted: ReadonlyMap<string, KeyObject>, keysDir: string): string {
  const bytes = canonicalManifestBytes(signed.manifest);
  let verifiedBy: string | null = null;
  for (const { keyId, signature } of signed.signatures) {
    const key = trusted.get(keyId);
    if (key === undefined) continue;
    if (!verify(null, bytes, key, Buffer.from(signature, 'base64'))) {
      throw new UpdateRejectedError(
        `the signature of key ${keyId} does not match release manifest ${signed.manifest.version}: the manifest was changed after signing; rejecting it`,
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
