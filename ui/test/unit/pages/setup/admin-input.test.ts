import { describe, expect, it } from 'vitest';
import { checkAdminInput } from '../../../../src/pages/setup/admin-input';

const password = 'correct horse battery';

describe('checkAdminInput', () => {
  it('accepts a valid username and password', () => {
    expect(checkAdminInput('installer', password, password)).toBeNull();
  });

  it.each(['', 'ab', 'has space', 'x'.repeat(65), 'name@site'])('rejects the username "%s"', (username) => {
    expect(checkAdminInput(username, password, password)?.field).toBe('username');
  });

  it('rejects a short password', () => {
    expect(checkAdminInput('installer', 'short', 'short')?.field).toBe('newPassword');
  });

  it('rejects a repetition that differs', () => {
    expect(checkAdminInput('installer', password, `${password}!`)?.field).toBe('repeatPassword');
  });
});
