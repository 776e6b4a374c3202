import { describe, expect, it } from 'vitest';
import { checkNewPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../../src/pages/account/password-rules';

const good = 'correct horse battery';

describe('checkNewPassword', () => {
  it('accepts a long password typed twice', () => {
    expect(checkNewPassword(good, good, 'the old password')).toBeNull();
  });

  it('rejects a password below the minimum length', () => {
    const short = 'x'.repeat(PASSWORD_MIN_LENGTH - 1);
    const problem = checkNewPassword(short, short);
    expect(problem?.field).toBe('newPassword');
    expect(problem?.message).toContain(`at least ${PASSWORD_MIN_LENGTH}`);
  });

  it('accepts exactly the minimum and maximum length', () => {
    const shortest = 'x'.repeat(PASSWORD_MIN_LENGTH);
    const longest = 'x'.repeat(PASSWORD_MAX_LENGTH);
    expect(checkNewPassword(shortest, shortest)).toBeNull();
    expect(checkNewPassword(longest, longest)).toBeNull();
  });

  it('rejects a password above the maximum length', () => {
    const long = 'x'.repeat(PASSWORD_MAX_LENGTH + 1);
    expect(checkNewPassword(long, long)?.message).toContain(`at most ${PASSWORD_MAX_LENGTH}`);
  });

  it('rejects the current password as new password', () => {
    expect(checkNewPassword(good, good, good)?.field).toBe('newPassword');
  });

  it('rejects a repetition that differs', () => {
    const problem = checkNewPassword(good, `${good}!`);
    expect(problem?.field).toBe('repeatPassword');
  });
});
