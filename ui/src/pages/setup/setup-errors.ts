import { ApiError, describeError } from '../../api/api-error';
import { asSentence } from '../account/form-errors';

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
}

/** Turns any error of a setup request into the message and the next step for the installer. */
export function describeSetupFailure(error: unknown, action: SetupAction): SetupFailure {
  const message = asSentence(describeError(error));
  if (!(error instanceof ApiError)) {
    return { message, advice: 'Check that this device is on the same network as the edge node and that the node is running, then try again.', relock: false };
  }
  switch (error.status) {
    case 400:
      return { message, advice: 'Correct the value the message names and send the step again.', relock: false };
    case 401:
      if (action === 'unlock') {
        return { message, advice: 'Type the 8-digit code exactly as the console shows it. A restart of the edge node keeps the same code.', relock: false };
      }
      return { message, advice: 'The setup session has ended, for example because the edge node restarted. Enter the setup code again to continue; the steps already done are kept.', relock: true };
    case 409:
      return { message, advice: 'Finish the earlier steps first: the step list shows which are still open.', relock: false };
    case 429:
      return { message, advice: 'Wait until the time the message names, then type the code again. Each wrong code counts toward the limit.', relock: false };
    case 502:
      return { message, advice: 'Check the cloud URL and that the pairing code is new and unused, or choose Run standalone.', relock: false };
    case 503:
      return { message, advice: 'Setup is no longer running on this node. Reload the page.', relock: false };
    default:
      return { message, advice: 'Try again. If it fails again, the edge node log (journalctl -u simtestlab-edge) has the cause.', relock: false };
  }
}
