import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/api/api-error';
import { asSentence, formMessage } from '../../../../src/pages/account/form-errors';
import { passwordFormError } from '../../../../src/pages/account/password-errors';

describe('asSentence', () => {
  it('capitalizes and ends with a period', () => {
    expect(asSentence('the link expired; ask for a new one')).toBe('The link expired; ask for a new one.');
  });

  it('keeps a final question mark', () => {
    expect(asSentence('Forgot it?')).toBe('Forgot it?');
  });
});

describe('formMessage', () => {
  it('drops the parameter prefix of validation messages', () => {
    const error = new ApiError(400, 'invalid_request', 'newPassword: must have at least 12 characters', 'newPassword');
    expect(formMessage(error)).toBe('Must have at least 12 characters.');
  });

  it('describes a network failure', () => {
    expect(formMessage(new TypeError('Failed to fetch'))).toMatch(/^The server cannot be reached/);
  });
});

describe('passwordFormError', () => {
  it('puts the hub wrong-password error on the current password', () => {
    const error = new ApiError(403, 'invalid_current_password', 'the current password is incorrect', 'currentPassword');
    expect(passwordFormError(error)).toEqual({ field: 'currentPassword', message: 'The current password is incorrect.' });
  });

  it('puts the edge wrong-password error on the current password', () => {
    const error = new ApiError(403, 'wrong_password', 'the current password is wrong; enter the password you log in with');
    expect(passwordFormError(error).field).toBe('currentPassword');
  });

  it('puts a rejected new password on the new password', () => {
    const fromEdge = new ApiError(400, 'invalid_body', 'newPassword: the password must have at least 12 characters', 'newPassword');
    const fromSetPassword = new ApiError(400, 'invalid_request', 'password: must have at least 12 characters', 'password');
    const unchanged = new ApiError(400, 'password_unchanged', 'the new password is the same as the current one', 'newPassword');
    expect(passwordFormError(fromEdge)).toEqual({ field: 'newPassword', message: 'The password must have at least 12 characters.' });
    expect(passwordFormError(fromSetPassword).field).toBe('newPassword');
    expect(passwordFormError(unchanged).field).toBe('newPassword');
  });

  it('explains the rate limit without a field', () => {
    const error = new ApiError(429, 'too_many_attempts', 'too many password attempts; try again in 60 s', undefined, 60);
    const explained = passwordFormError(error);
    expect(explained.field).toBeNull();
    expect(explained.message).toContain('Too many password attempts; try again in 60 s.');
    expect(explained.message).toContain('lock the account');
  });

  it('keeps an expired link error for the whole form', () => {
    const error = new ApiError(400, 'invalid_password_token', 'this set-password link is invalid, used or expired; ask an administrator for a new one');
    expect(passwordFormError(error).field).toBeNull();
  });
});
