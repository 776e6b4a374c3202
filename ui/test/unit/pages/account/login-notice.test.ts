import { describe, expect, it } from 'vitest';
import { loginNoticeOf, loginNoticeState } from '../../../../src/pages/account/login-notice';

describe('login notice', () => {
  it('reads back the message it stored', () => {
    expect(loginNoticeOf(loginNoticeState('Your password is set.'))).toBe('Your password is set.');
  });

  it('ignores states without a message', () => {
    expect(loginNoticeOf(null)).toBeNull();
    expect(loginNoticeOf(undefined)).toBeNull();
    expect(loginNoticeOf({ other: 1 })).toBeNull();
    expect(loginNoticeOf({ loginNotice: 42 })).toBeNull();
    expect(loginNoticeOf({ loginNotice: '' })).toBeNull();
  });
});
