import { ApiError, describeError } from '../../api/api-error';
import { asSentence } from '../account/form-errors';
import { labelMessage } from './field-labels';

/** The wizard steps that send requests, for advice that fits the step. */
export type SetupAction = 'unlock' | 'admin' | 'pair' | 'standalone' | 'scan' | 'devices' | 'finish' | 'load';

/**
 * Builds an ApiError from a failed setup response. The setup routes send `{ error: "message" }`; the
 * other edge routes send `{ error: { code, message } }`, and both forms are read.
 */
export function setupErrorFrom(response: Response, body: unknown): ApiError {
  const error = (body as { error?: unknown } | undefined)?.error;
  const retryAfter = Number(response.headers.get('Retry-After'));
  const retryAfterS = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const code = `http_${response.status}`;
  if (typeof error === 'string') return new ApiError(response.status, code, error, undefined, retryAfterS);
  const nested = error as { code?: unknown; message?: unknown; parameter?: unknown } | undefined;
  const message = typeof nested?.message === 'string' ? nested.message : `the edge node responded ${response.status} ${response.statusText}`.trim();
  const parameter = typeof nested?.parameter === 'string' ? nested.parameter : undefined;
  return new ApiError(response.status, typeof nested?.code === 'string' ? nested.code : code, message, parameter, retryAfterS);
}

/** Failure of a setup request as the wizard shows it: the server's message and what to do next. */
export interface SetupFailure {
  message: string;
  advice: string;
  /** True when the setup token is no longer valid, so the wizard returns to the code step. */
  relock: boolean;
  /**
   * True for a 401, 404, 409 or 503, which also follow when another tab or browser finished setup,
   * so the wizard reads `GET /api/setup/status` again before it shows the failure.
   */
  recheck: boolean;
}

/** Context of `describeSetupFailure`: the clock (epoch ms) and the names of the devices sent, in order. */
export interface FailureContext {
  now?: number;
  deviceNames?: readonly string[];
}

/** Formats a time of day in the browser's locale and time zone, such as 15:32:57. */
function localTime(at: Date): string {
  return at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function failure(message: string, advice: string, flags: { relock?: boolean; recheck?: boolean } = {}): SetupFailure {
  return { message, advice, relock: flags.relock ?? false, recheck: flags.recheck ?? false };
}

/** Turns any error of a setup request into the message and the next step for the installer. */
export function describeSetupFailure(error: unknown, action: SetupAction, context: FailureContext = {}): SetupFailure {
  if (!(error instanceof ApiError)) {
    return failure(asSentence(describeError(error)), 'Check that this device is on the same network as the edge node and that the node is running, then try again.');
  }
  const message = asSentence(error.status === 400 ? labelMessage(error.message, error.parameter, action, context.deviceNames) : error.message);
  switch (error.status) {
    case 400:
      return failure(message, 'Correct the value the message names and send the step again.');
    case 401:
      if (action === 'unlock') {
        return failure(message, 'Type the 8-digit code exactly as the console shows it. A restart of the edge node keeps the same code.', { recheck: true });
      }
      return failure(
        message,
        'The setup session has ended, for example because the edge node restarted. Enter the setup code again to continue; the steps already done are kept.',
        { relock: true, recheck: true },
      );
    case 404:
      return failure(message, 'Reload the page to see where setup stands.', { recheck: true });
    case 409:
      return failure(message, 'Finish the earlier steps first: the step list shows which are still open.', { recheck: true });
    case 429: {
      if (error.retryAfterS === undefined) return failure(message, 'Wait until the time the message names, then type the code again. Until then every code is rejected, also the right one.');
      const retryAt = new Date((context.now ?? Date.now()) + error.retryAfterS * 1000);
      return failure(message, `Type the code again after ${localTime(retryAt)} (this device's time). Until then every code is rejected, also the right one.`);
    }
    case 502:
      return failure(message, 'Check the cloud URL and that the pairing code is new and unused, or choose Run standalone.');
    case 503:
      return failure(message, 'Setup is no longer running on this node. Reload the page.', { recheck: true });
    default:
      return failure(message, 'Try again. If it fails again, the edge node log (journalctl -u simtestlab-edge) has the cause.');
  }
}
