import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebhookSecret, signWebhookBody, verifyWebhookSignature } from '../../src/notifications/webhook-signature';

const secret = createWebhookSecret();
const body = '{"type":"alarm.raised"}';
const signedAtS = 1_760_000_000;

function verify(overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) {
  return verifyWebhookSignature({ secret, body, timestamp: String(signedAtS), signature: signWebhookBody(secret, signedAtS, body), nowS: signedAtS + 10, ...overrides });
}

describe('webhook signature', () => {
  it('is the HMAC-SHA256 of timestamp and body', () => {
    const expected = createHmac('sha256', secret).update(`${signedAtS}.${body}`).digest('hex');
    expect(signWebhookBody(secret, signedAtS, body)).toBe(`v1=${expected}`);
  });

  it('verifies a genuine request', () => {
    expect(verify()).toBeNull();
  });

  it('rejects a changed body', () => {
    expect(verify({ body: '{"type":"alarm.cleared"}' })).toBe('mismatch');
  });

  it('rejects another secret', () => {
    expect(verify({ secret: createWebhookSecret() })).toBe('mismatch');
  });

  it('rejects a changed timestamp', () => {
    expect(verify({ timestamp: String(signedAtS + 1) })).toBe('mismatch');
  });

  it('rejects a timestamp older than the tolerance', () => {
    expect(verify({ nowS: signedAtS + 301 })).toBe('too_old');
    expect(verify({ nowS: signedAtS + 60, toleranceS: 30 })).toBe('too_old');
  });

  it('rejects missing or malformed headers', () => {
    expect(verify({ timestamp: null })).toBe('malformed');
    expect(verify({ signature: null })).toBe('malformed');
    expect(verify({ timestamp: '17e8' })).toBe('malformed');
    expect(verify({ signature: 'v1=abc' })).toBe('mismatch');
  });

  it('creates a different secret each time', () => {
    expect(createWebhookSecret()).not.toBe(createWebhookSecret());
  });
});
