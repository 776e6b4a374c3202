import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Headers of every webhook request. */
export const WEBHOOK_HEADERS = {
  event: 'X-EMS-Event',
  delivery: 'X-EMS-Delivery',
  /** Unix time in seconds when the request was signed; every attempt is signed again. */
  timestamp: 'X-EMS-Timestamp',
  /** `v1=` followed by the lowercase hex HMAC-SHA256 of `<timestamp>.<body>`. */
  signature: 'X-EMS-Signature',
} as const;

/** Prefix of the signature scheme; a later scheme would get another prefix. */
const SIGNATURE_VERSION = 'v1';

/** Default maximum age of a signed timestamp that a receiver accepts: 5 minutes. */
export const DEFAULT_TIMESTAMP_TOLERANCE_S = 300;

/** Creates a webhook secret: `whsec_` and 32 random bytes in base64url. The whole string is the HMAC key. */
export function createWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Computes the value of the signature header for a body signed at `timestampS`. */
export function signWebhookBody(secret: string, timestampS: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
  return `${SIGNATURE_VERSION}=${digest}`;
}

/** Reason a webhook request failed verification. */
export type SignatureFailure = 'malformed' | 'too_old' | 'mismatch';

/**
 * Verifies a received webhook request as a receiver should: the timestamp is an integer within
 * `toleranceS` of the receiver's clock (so a captured request cannot be replayed later), and the
 * signature matches, compared in constant time. Returns null when the request is genuine.
 */
export function verifyWebhookSignature(request: {
  secret: string;
  body: string;
  timestamp: string | null;
  signature: string | null;
  nowS: number;
  toleranceS?: number;
}): SignatureFailure | null {
  const { timestamp, signature } = request;
  if (timestamp === null || signature === null || !/^\d{1,12}$/.test(timestamp)) return 'malformed';
  if (Math.abs(request.nowS - Number(timestamp)) > (request.toleranceS ?? DEFAULT_TIMESTAMP_TOLERANCE_S)) return 'too_old';
  const expected = Buffer.from(signWebhookBody(request.secret, Number(timestamp), request.body));
  const received = Buffer.from(signature);
  if (received.length !== expected.length) return 'mismatch';
  return timingSafeEqual(received, expected) ? null : 'mismatch';
}
