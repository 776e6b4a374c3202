import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** File name of the credential inside the data folder. */
export const CREDENTIAL_FILE_NAME = 'cloud-credential.json';

/** Mode bits the credential may have: owner read and write only. */
const CREDENTIAL_MODE = 0o600;

const privateJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
});

/** Credential an edge stores after pairing: the hub binding and the private half of its ES256 key. */
export const cloudCredentialSchema = z.object({
  cloudUrl: z.url(),
  edgeNodeId: z.string().min(1),
  organizationId: z.string().min(1),
  siteId: z.string().min(1),
  siteName: z.string(),
  timeZone: z.string().min(1),
  privateJwk: privateJwkSchema,
  /** ISO 8601 time the edge paired. */
  pairedAt: z.string(),
});
export type CloudCredential = z.infer<typeof cloudCredentialSchema>;

/** The credential file exists and the caller did not ask to replace it. */
export class CredentialExistsError extends Error {
  override name = 'CredentialExistsError';
}

/** The credential is missing, unreadable by policy, or not a valid credential. */
export class CredentialError extends Error {
  override name = 'CredentialError';
}

/** Returns the path of the credential file in `dataDir`. */
export function credentialPath(dataDir: string): string {
  return join(dataDir, CREDENTIAL_FILE_NAME);
}

export function credentialExists(dataDir: string): boolean {
  return existsSync(credentialPath(dataDir));
}

/**
 * Loads the credential of `dataDir`. Rejects a file that group or others may read or write, because the
 * file contains the private key that lets anyone act as this edge towards the hub.
 */
export function loadCredential(dataDir: string): CloudCredential {
  const path = credentialPath(dataDir);
  if (!existsSync(path)) throw new CredentialError(`no cloud credential at ${path}; pair this edge with "edge-node pair --cloud URL --code CODE"`);
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new CredentialError(`cloud credential ${path} has mode ${mode.toString(8).padStart(4, '0')}, so other users can read it; run "chmod 600 ${path}"`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CredentialError(`cloud credential ${path} is not valid JSON; pair this edge again with --force`, { cause: error });
  }
  const result = cloudCredentialSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new CredentialError(`cloud credential ${path} is invalid at "${issue.path.join('.')}": ${issue.message}; pair this edge again with --force`);
  }
  return result.data;
}

/**
 * Writes the credential atomically with mode 0600. The content goes to a flushed temporary file in the
 * same folder, which then replaces the target in one step. A crash therefore leaves the old file or the
 * new one, never a partial one. Without `overwrite` the last step is a hard link, which fails when the
 * target exists, even if another process created it after the caller checked.
 */
export function storeCredential(dataDir: string, credential: CloudCredential, options: { overwrite?: boolean } = {}): string {
  const path = credentialPath(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const descriptor = openSync(temporary, 'wx', CREDENTIAL_MODE);
  try {
    writeSync(descriptor, `${JSON.stringify(cloudCredentialSchema.parse(credential), null, 2)}\n`);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }

  try {
    if (options.overwrite) {
      renameSync(temporary, path);
    } else {
      linkSync(temporary, path);
      unlinkSync(temporary);
    }
  } catch (error) {
    unlinkSync(temporary);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CredentialExistsError(`cloud credential ${path} already exists; pass --force to replace it`, { cause: error });
    }
    throw error;
  }
  syncFolder(dataDir);
  return path;
}

/** Flushes the folder entry, so the rename itself survives a power cut. */
function syncFolder(folder: string): void {
  const descriptor = openSync(folder, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
