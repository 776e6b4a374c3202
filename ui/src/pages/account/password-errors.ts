import { ApiError } from '../../api/api-error';
import { formMessage } from './form-errors';

/** A password form field that a server error can point at. */
export type PasswordField = 'currentPassword' | 'newPassword';

/** A server error for the password forms: the message, and the field it belongs to when there is one. */
export interface PasswordFormError {
  field: PasswordField | null;
  message: string;
}

/**
 * Explains why a password change or set-password request failed. A wrong current password is 403 on
 * both servers: the hub names the parameter and the edge returns the code `wrong_password`. A rejected
 * new password names the parameter `newPassword`, or `password` on the set-password route.
 */
export function passwordFormError(error: unknown): PasswordFormError {
  const message = formMessage(error);
  if (!(error instanceof ApiError)) return { field: null, message };
  if (error.status === 429) {
    return { field: null, message: `${message} Repeated wrong passwords lock the account for a while to protect it.` };
  }
  if (error.parameter === 'currentPassword' || error.code === 'wrong_password' || error.code === 'invalid_current_password') {
    return { field: 'currentPassword', message };
  }
  if (error.parameter === 'newPassword' || error.parameter === 'password' || error.code === 'password_unchanged') {
    return { field: 'newPassword', message };
  }
  return { field: null, message };
}
