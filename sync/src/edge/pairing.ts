import { z } from 'zod';

/**
 * Pairing code alphabet: Crockford's base32 without I, L, O and U, so a code read aloud or copied from
 * a screen has no look-alike characters. Ten characters carry 50 bits.
 */
export const PAIRING_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAIRING_CODE_LENGTH = 10;
/** Hours a pairing code stays valid after it is issued. It works once. */
export const PAIRING_CODE_TTL_HOURS = 24;

/**
 * Normalizes a typed pairing code: upper case, dashes and spaces removed, and the look-alikes
 * O→0 and I/L→1 mapped as Crockford's base32 prescribes. Returns null when the result is not a code.
 */
export function normalizePairingCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== PAIRING_CODE_LENGTH) return null;
  return [...code].every((character) => PAIRING_CODE_ALPHABET.includes(character)) ? code : null;
}

/** Formats a normalized code for people: `XXXX-XXXX-XX`. */
export function formatPairingCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/**
 * The public half of the key pair an edge generates at pairing: an EC P-256 JWK. Strict, so a key that
 * still carries its private part `d` is rejected instead of silently trimmed.
 */
export const edgePublicKeySchema = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  y: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  alg: z.literal('ES256').optional(),
  use: z.literal('sig').optional(),
  kid: z.string().max(200).optional(),
});
export type EdgePublicKey = z.infer<typeof edgePublicKeySchema>;

/** Body of `POST /api/edge/pair`. */
export const pairRequestSchema = z.strictObject({
  code: z.string().min(1).max(32),
  publicKey: edgePublicKeySchema,
  softwareVersion: z.string().min(1).max(64),
  hostname: z.string().min(1).max(255).optional(),
});
export type PairRequest = z.infer<typeof pairRequestSchema>;

/** Response of `POST /api/edge/pair`: the binding the edge stores with its private key. */
export const pairResponseSchema = z.object({
  edgeNodeId: z.string(),
  organizationId: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  timeZone: z.string(),
});
export type PairResponse = z.infer<typeof pairResponseSchema>;
