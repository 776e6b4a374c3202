import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@simtestlab/sync';

/** The binding declares its algorithms as a const enum, which isolated modules cannot read; argon2id is 2. */
const ARGON2ID = 2 as Algorithm.Argon2id;

/**
 * argon2id with the first configuration the OWASP Password Storage Cheat Sheet lists: 19 MiB of
 * memory, 2 iterations, 1 degree of parallelism.
 */
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/**
 * A hash of a random password, verified against when the email is unknown, so an unknown email
 * costs the same time as a wrong password and the two cannot be distinguished.
 */
let decoyHash: Promise<string> | undefined;

/** Checks a password against a stored hash, or against the decoy when there is none. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  const target = storedHash ?? (await decoyHash);
  const matches = await verify(target, password);
  return storedHash !== null && matches;
}
