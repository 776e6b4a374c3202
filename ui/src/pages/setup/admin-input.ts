import { checkNewPassword, type PasswordProblem } from '../account/password-rules';

/** The edge node's rule for local account names (edge-node/src/auth/local-accounts.ts). */
const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;

export const USERNAME_HINT = '3 to 64 letters, digits, dots, dashes or underscores, such as "installer".';

/** A problem with the admin form and the field it belongs to. */
export interface AdminProblem {
  field: 'username' | PasswordProblem['field'];
  message: string;
}

/** Checks the admin form before it is sent, and returns the first problem or null. */
export function checkAdminInput(username: string, password: string, repeatPassword: string): AdminProblem | null {
  if (!USERNAME_PATTERN.test(username)) {
    const problem = username === '' ? 'The username is empty' : `The username "${username}" is invalid`;
    return { field: 'username', message: `${problem}. Use ${USERNAME_HINT}` };
  }
  return checkNewPassword(password, repeatPassword);
}
