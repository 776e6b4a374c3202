import { describe, expect, it } from 'vitest';
import { passwordLinkToken } from '../../../../src/pages/account/password-link-token';

describe('passwordLinkToken', () => {
  it('reads the token from the fragment', () => {
    expect(passwordLinkToken('', '#token=abc123')).toBe('abc123');
  });

  it('reads the token from the query', () => {
    expect(passwordLinkToken('?token=abc123', '')).toBe('abc123');
  });

  it('prefers the fragment over the query', () => {
    expect(passwordLinkToken('?token=from-query', '#token=from-fragment')).toBe('from-fragment');
  });

  it('decodes an encoded token', () => {
    expect(passwordLinkToken('', '#token=a%2Bb')).toBe('a+b');
  });

  it('returns null without a token', () => {
    expect(passwordLinkToken('', '')).toBeNull();
    expect(passwordLinkToken('?token=', '#other=1')).toBeNull();
  });
});
