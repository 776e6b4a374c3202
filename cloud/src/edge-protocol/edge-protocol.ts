import {
  checkEdgeProtocol,
  describeProtocolRange,
  EDGE_HUB_PROTOCOL_VERSION,
  HUB_SUPPORTED_EDGE_PROTOCOLS,
  parseProtocolHeader,
  PROTOCOL_HEADER,
  PROTOCOL_MISMATCH_CODE,
  PROTOCOL_MISMATCH_STATUS,
  PROTOCOL_RANGE_HEADER,
  type ProtocolMismatchBody,
  type ProtocolRange,
} from '@simtestlab/sync';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from '../api/http-error';
import type { AppEnv } from '../api/env';

/** Headers the hub sets on every response to an edge: its protocol version and the edge versions it serves. */
export function hubProtocolHeaders(range: ProtocolRange = HUB_SUPPORTED_EDGE_PROTOCOLS): Record<string, string> {
  return { [PROTOCOL_HEADER]: String(EDGE_HUB_PROTOCOL_VERSION), [PROTOCOL_RANGE_HEADER]: describeProtocolRange(range) };
}

/** An edge request's protocol version: accepted, or the 426 body that rejects it. */
export type EdgeProtocolVerdict = { accepted: true; edgeProtocol: number } | { accepted: false; body: Required<ProtocolMismatchBody> };

/**
 * Checks the protocol header of an edge request. No header means version 1, so edges released before the
 * header existed keep working. A header that is not a positive integer raises 400.
 */
export function judgeEdgeProtocol(headerValue: string | undefined, range: ProtocolRange = HUB_SUPPORTED_EDGE_PROTOCOLS): EdgeProtocolVerdict {
  const edgeProtocol = parseProtocolHeader(headerValue);
  if (edgeProtocol === null) {
    throw new HttpError(400, 'invalid_protocol_header', `${PROTOCOL_HEADER} header "${String(headerValue).slice(0, 20)}" is not a positive integer; send the edge-hub protocol version such as 1`, {
      parameter: PROTOCOL_HEADER,
      headers: hubProtocolHeaders(range),
    });
  }
  const check = checkEdgeProtocol(edgeProtocol, range);
  if (check.compatible) return { accepted: true, edgeProtocol };
  return { accepted: false, body: { error: { code: PROTOCOL_MISMATCH_CODE, message: check.message }, edgeProtocol, hubProtocol: { ...range } } };
}

/** Sets a header on a response whose headers may be immutable, as those of a proxied fetch are. */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const copy = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    return copy;
  }
}

/**
 * Path prefix of the release manifest and artifact routes. An edge of any protocol version may read
 * them, because installing a newer release is the only way out of a protocol mismatch. The edge checks
 * the manifest's own `protocolVersion` against the range in the response headers before installing.
 */
export const RELEASE_ROUTES_PREFIX = '/api/edge/releases/';

/** Settings of `requireEdgeProtocol`. */
export interface EdgeProtocolGuardOptions {
  /** Edge protocol versions this hub serves. */
  range?: ProtocolRange;
  /** Path prefixes served to an edge of any protocol version; their responses still carry the headers. */
  exemptPrefixes?: readonly string[];
}

/**
 * Guards the routes edges call. It returns 426 with both versions when the edge's protocol is outside
 * the range, before authentication, so an incompatible edge learns why even with a credential the hub no
 * longer reads. Paths under `exemptPrefixes` skip the check. Every response, errors included, carries
 * the hub's protocol headers.
 */
export function requireEdgeProtocol(options: EdgeProtocolGuardOptions = {}): MiddlewareHandler<AppEnv> {
  const range = options.range ?? HUB_SUPPORTED_EDGE_PROTOCOLS;
  const exemptPrefixes = options.exemptPrefixes ?? [];
  const headers = hubProtocolHeaders(range);
  return async (c, next) => {
    const exempt = exemptPrefixes.some((prefix) => c.req.path.startsWith(prefix));
    const verdict = exempt ? null : judgeEdgeProtocol(c.req.header(PROTOCOL_HEADER), range);
    if (verdict !== null && !verdict.accepted) {
      c.var.logger.warn(
        { edgeProtocol: verdict.body.edgeProtocol, hubProtocol: verdict.body.hubProtocol, path: c.req.path },
        verdict.body.error.message,
      );
      return c.json(verdict.body, PROTOCOL_MISMATCH_STATUS, headers);
    }
    await next();
    const response = withHeaders(c.res, headers);
    if (response !== c.res) c.res = response;
  };
}
