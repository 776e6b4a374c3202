import { createHash, randomInt } from 'node:crypto';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH, PAIRING_CODE_TTL_HOURS, formatPairingCode } from '@simtestlab/sync';

/** A new pairing code: the formatted text for the installer and the digest the hub stores. */
export interface IssuedPairingCode {
  /** `XXXX-XXXX-XX`, shown once to the admin who issued it. */
  formatted: string;
  hash: Buffer;
  expiresAt: Date;
}

/** Returns the SHA-256 digest of a normalized pairing code, the only form of it the hub stores. */
export function hashPairingCode(normalized: string): Buffer {
  return createHash('sha256').update(normalized, 'utf8').digest();
}

/** Draws a pairing code uniformly from PAIRING_CODE_ALPHABET with a CSPRNG, valid PAIRING_CODE_TTL_HOURS from `now`. */
export function issuePairingCode(now = new Date()): IssuedPairingCode {
  let code = '';
  for (let index = 0; index < PAIRING_CODE_LENGTH; index++) code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
  return {
    formatted: formatPairingCode(code),
    hash: hashPairingCode(code),
    expiresAt: new Date(now.getTime() + PAIRING_CODE_TTL_HOURS * 3600 * 1000),
  };
}
