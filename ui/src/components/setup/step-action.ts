import { createSignal } from 'solid-js';
import { describeSetupFailure, type SetupAction, type SetupFailure } from '../../pages/setup/setup-errors';

/**
 * Tracks one request of a wizard step: whether it runs, and the failure to show. A failure that means
 * the setup token is no longer valid calls `onRelock`, so the page shows the code step again.
 */
export function createStepAction(action: SetupAction, onRelock: (failure: SetupFailure) => void) {
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<SetupFailure | null>(null);

  /** Shows the failure of a request made elsewhere, such as a scan poll. */
  const fail = (error: unknown): void => {
    const described = describeSetupFailure(error, action);
    if (described.relock) onRelock(described);
    else setFailure(described);
  };

  /** Runs `request`; resolves with its result, or with undefined after it failed. */
  const run = async <T>(request: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setFailure(null);
    try {
      return await request();
    } catch (error) {
      fail(error);
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  return { busy, failure, run, fail };
}
