import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ALLOW_PRIVATE_VARIABLE, type WebhookSettings } from './notification-settings';
import { WEBHOOK_HEADERS, signWebhookBody } from './webhook-signature';
import { isPublicAddress, webhookUrlProblem } from './webhook-url';

/** One request to send: the webhook's URL and secret, and the event. */
export interface WebhookRequest {
  url: string;
  secret: string;
  event: string;
  deliveryId: string;
  /** The JSON body, exactly as it is signed and sent. */
  body: string;
}

/**
 * Outcome of one attempt. A failure is `permanent` when retrying cannot help, such as a URL that the
 * hub's settings no longer allow.
 */
export type SendResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; permanent: boolean };

/** Characters of a failed response's body kept in the error, enough to show a receiver's message. */
const ERROR_BODY_CHARS = 300;

const USER_AGENT = 'SimTestLab-EMS-Webhook/1';

/** Raised by the lookup of a host name that resolves to a non-public address. */
export class NonPublicAddressError extends Error {
  override name = 'NonPublicAddressError';
}

/**
 * Returns a DNS lookup that fails for names resolving to a non-public address, so a public-looking
 * name cannot lead the hub into its own network. The addresses checked are those connected to.
 */
export function publicOnlyLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const rejected = addresses.find((entry) => !isPublicAddress(entry.address));
      if (rejected) {
        const problem = `${hostname} resolves to the non-public address ${rejected.address}; set ${ALLOW_PRIVATE_VARIABLE}=true on the hub to allow it for tests and labs`;
        return callback(new NonPublicAddressError(problem) as NodeJS.ErrnoException, '', 4);
      }
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** Signs and POSTs one webhook request. Failures of the request are returned in the result, not thrown. */
export async function sendWebhook(request: WebhookRequest, settings: WebhookSettings, nowMs: number): Promise<SendResult> {
  const problem = webhookUrlProblem(request.url, settings.allowPrivate);
  if (problem !== null) return { ok: false, status: null, error: problem, permanent: true };

  const url = new URL(request.url);
  const timestampS = Math.floor(nowMs / 1000);
  const options: RequestOptions = {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(request.body),
      'User-Agent': USER_AGENT,
      [WEBHOOK_HEADERS.event]: request.event,
      [WEBHOOK_HEADERS.delivery]: request.deliveryId,
      [WEBHOOK_HEADERS.timestamp]: String(timestampS),
      [WEBHOOK_HEADERS.signature]: signWebhookBody(request.secret, timestampS, request.body),
    },
    signal: AbortSignal.timeout(settings.timeoutMs),
    // Node looks up names only; webhookUrlProblem has checked an IP literal already.
    ...(settings.allowPrivate ? {} : { lookup: publicOnlyLookup() }),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise<SendResult>((resolve) => {
    const outgoing = send(url, options, (response) => {
      const status = response.statusCode ?? 0;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < ERROR_BODY_CHARS) text += chunk;
      });
      response.on('error', (error) => resolve({ ok: false, status, error: `reading the response failed: ${error.message}`, permanent: false }));
      response.on('end', () => {
        if (status >= 200 && status < 300) return resolve({ ok: true, status });
        const excerpt = text.slice(0, ERROR_BODY_CHARS).trim();
        resolve({ ok: false, status, error: `receiver responded ${status}${excerpt === '' ? '' : `: ${excerpt}`}`, permanent: false });
      });
    });
    outgoing.on('error', (error) => {
      if (error instanceof NonPublicAddressError) return resolve({ ok: false, status: null, error: error.message, permanent: true });
      const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
      resolve({ ok: false, status: null, error: timedOut ? `no response within ${settings.timeoutMs} ms` : `request failed: ${error.message}`, permanent: false });
    });
    outgoing.end(request.body);
  });
}
