import { createSignal } from 'solid-js';
import { describeSetupFailure, type SetupAction, type SetupFailure } from '../../pages/setup/setup-errors';

/** Callbacks of the page that a step uses when its request fails. */
export interface SetupSession {
  /** Shows the code step again, because the setup token is no longer valid. */
  relock(failure: SetupFailure): void;
  /**
   * Reads `GET /api/setup/status` again and resolves true when setup is complete, for example
   * finished in another tab; the page then shows "Setup is complete" instead of the failure.
   */
  recheck(): Promise<boolean>;
}

/**
 * Tracks one request of a wizard step: whether it runs, and the failure to show. A 401, 404, 409 or
 * 503 first reads the status again; a failure that means the setup token is no longer valid relocks the page.
 * `deviceNames` returns the names of the devices sent, so a message about `devices.1.name` names the device.
 */
export function createStepAction(action: SetupAction, session: SetupSession, deviceNames: () => readonly string[] = () => []) {
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<SetupFailure | null>(null);

  /** Shows the failure of a request made elsewhere, such as a scan poll. */
  const fail = async (error: unknown): Promise<void> => {
    const described = describeSetupFailure(error, action, { deviceNames: deviceNames() });
    if (described.recheck && (await session.recheck().catch(() => false))) return;
    if (described.relock) session.relock(described);
    else setFailure(described);
  };

  /** Runs `request`; resolves with its result, or with undefined after it failed. */
  const run = async <T>(request: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setFailure(null);
    try {
      return await request();
    } catch (error) {
      await fail(error);
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  /** Hides the failure, once the installer edits the form it refers to. */
  const clear = (): void => {
    setFailure(null);
  };

  return { busy, failure, run, fail, clear };
}
