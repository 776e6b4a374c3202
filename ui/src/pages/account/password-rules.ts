import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@simtestlab/sync';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/** One line for the form, next to the new password field. */
export const PASSWORD_RULE_HINT = `Use ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. A few unrelated words make a long password that is easy to type.`;

/** A problem with the new password and which field it belongs to. */
export interface PasswordProblem {
  field: 'newPassword' | 'repeatPassword';
  message: string;
}

/**
 * Checks a new password and its repetition before they are sent, and returns the first problem or
 * null. `currentPassword`, when given, must differ from the new one; the hub rejects an unchanged
 * password too.
 */
export function checkNewPassword(newPassword: string, repeatPassword: string, currentPassword?: string): PasswordProblem | null {
  if (newPassword.length < PASSWORD_MIN_LENGTH) {
    return { field: 'newPassword', message: `The new password has ${newPassword.length} characters; it needs at least ${PASSWORD_MIN_LENGTH}.` };
  }
  if (newPassword.length > PASSWORD_MAX_LENGTH) {
    return { field: 'newPassword', message: `The new password has ${newPassword.length} characters; it may have at most ${PASSWORD_MAX_LENGTH}.` };
  }
  if (currentPassword !== undefined && newPassword === currentPassword) {
    return { field: 'newPassword', message: 'The new password is the same as the current one. Choose a different password.' };
  }
  if (newPassword !== repeatPassword) {
    return { field: 'repeatPassword', message: 'The two new passwords differ. Type the same password in both fields.' };
  }
  return null;
}
