import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@simtestlab/sync';

/** The binding declares its algorithms as a const enum, which isolated modules cannot read; argon2id is 2. */
const ARGON2ID = 2 as Algorithm.Argon2id;

/**
 * argon2id with the parameters the hub uses, the first configuration of the OWASP Password Storage
 * Cheat Sheet: 19 MiB of memory, 2 iterations, 1 degree of parallelism.
 */
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/** Hashes a password with argon2id into a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/**
 * Hash of a random password, verified against when the account is unknown, so an unknown account
 * costs the same time as a wrong password.
 */
let decoyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored argon2 hash, or against the decoy when there is none. A stored
 * hash that the binding cannot parse counts as a mismatch.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  const target = storedHash ?? (await decoyHash);
  const matches = await verify(target, password).catch(() => false);
  return storedHash !== null && matches;
}

/** Returns why a password is unacceptable, or null when its length is within the limits. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `the password must have at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `the password must have at most ${PASSWORD_MAX_LENGTH} characters`;
  return null;
}
