import { describe, expect, it } from 'vitest';
import { renewDelayMs } from '../../src/session/grant';

describe('renewDelayMs', () => {
  it('renews a long-lived token one minute before it expires', () => {
    expect(renewDelayMs({ token: 't', expiresAtMs: 15 * 60_000 }, 0)).toBe(14 * 60_000);
  });

  it('renews a short-lived token at half its remaining life', () => {
    expect(renewDelayMs({ token: 't', expiresAtMs: 60_000 }, 0)).toBe(30_000);
  });

  it('waits at least a second, also for a token that has already expired', () => {
    expect(renewDelayMs({ token: 't', expiresAtMs: 0 }, 5_000)).toBe(1_000);
  });
});
