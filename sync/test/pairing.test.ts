import { describe, expect, it } from 'vitest';
import { formatPairingCode, normalizePairingCode, PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH, pairRequestSchema } from '../src/edge/pairing';

describe('pairing codes', () => {
  it('normalizes case, dashes and spaces', () => {
    expect(normalizePairingCode('ab12-cd34-ef')).toBe('AB12CD34EF');
    expect(normalizePairingCode(' AB12 CD34 EF ')).toBe('AB12CD34EF');
  });

  it('maps look-alike letters to digits', () => {
    expect(normalizePairingCode('OO1I-L000-00')).toBe('0011100000');
  });

  it('rejects a wrong length', () => {
    expect(normalizePairingCode('AB12-CD34-E')).toBeNull();
    expect(normalizePairingCode('AB12-CD34-EFG')).toBeNull();
  });

  it('rejects letters outside the alphabet', () => {
    expect(normalizePairingCode('AB12-CD34-EU')).toBeNull();
    expect(normalizePairingCode('AB12-CD34-E!')).toBeNull();
  });

  it('formats a code in groups of four', () => {
    expect(formatPairingCode('AB12CD34EF')).toBe('AB12-CD34-EF');
  });

  it('round-trips a formatted code', () => {
    const code = PAIRING_CODE_ALPHABET.slice(0, PAIRING_CODE_LENGTH);
    expect(normalizePairingCode(formatPairingCode(code))).toBe(code);
  });

  it('has an alphabet without look-alikes', () => {
    expect(PAIRING_CODE_ALPHABET).toHaveLength(32);
    for (const letter of ['I', 'L', 'O', 'U']) expect(PAIRING_CODE_ALPHABET).not.toContain(letter);
  });
});

describe('pair request', () => {
  const publicKey = { kty: 'EC', crv: 'P-256', x: 'a'.repeat(43), y: 'b'.repeat(43) };

  it('accepts a P-256 public key', () => {
    expect(pairRequestSchema.safeParse({ code: 'AB12-CD34-EF', publicKey, softwareVersion: '0.1.0' }).success).toBe(true);
  });

  it('rejects a key with a private part', () => {
    const result = pairRequestSchema.safeParse({ code: 'x', publicKey: { ...publicKey, d: 'c'.repeat(43) }, softwareVersion: '0.1.0' });
    expect(result.success).toBe(false);
  });

  it('rejects unknown fields', () => {
    expect(pairRequestSchema.safeParse({ code: 'x', publicKey, softwareVersion: '1', site: 'other' }).success).toBe(false);
  });
});
