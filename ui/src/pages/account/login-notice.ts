/**
 * A message for the login page, handed over in the router's navigation state (`navigate('/login',
 * { state })`), so it shows once and does not come back on a reload.
 */
export interface LoginNoticeState {
  loginNotice: string;
}

/** Builds the navigation state that makes the login page show `message`. */
export function loginNoticeState(message: string): LoginNoticeState {
  return { loginNotice: message };
}

/** Reads the message from the login page's `useLocation().state`; null when there is none. */
export function loginNoticeOf(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('loginNotice' in state)) return null;
  const { loginNotice } = state as { loginNotice: unknown };
  return typeof loginNotice === 'string' && loginNotice !== '' ? loginNotice : null;
}
