import { z } from 'zod';

/**
 * Version of the protocol between an edge node and its hub: the pairing request, the edge routes under
 * `/api/edge/`, the shapes and uploads they carry, and the live uplink. Raise it when one side can no
 * longer understand the other, and widen the supported ranges below for as long as both versions work.
 */
export const EDGE_HUB_PROTOCOL_VERSION = 1;

/** Request and response header that carries the sender's edge-hub protocol version, a decimal integer. */
export const PROTOCOL_HEADER = 'SimTestLab-Protocol';

/** Response header in which the hub states the edge protocol versions it serves, as "1" or "1..3". */
export const PROTOCOL_RANGE_HEADER = 'SimTestLab-Protocol-Supported';

/** Version assumed for a request or response without the header: edges and hubs released before it existed speak 1. */
export const PROTOCOL_VERSION_WITHOUT_HEADER = 1;

/** HTTP status of a request whose protocol version the hub does not support (426 Upgrade Required). */
export const PROTOCOL_MISMATCH_STATUS = 426;

/** Machine code of the 426 error body. */
export const PROTOCOL_MISMATCH_CODE = 'protocol_unsupported';

/** Inclusive range of protocol versions one side can talk to. */
export interface ProtocolRange {
  min: number;
  max: number;
}

/** Edge protocol versions this hub serves. */
export const HUB_SUPPORTED_EDGE_PROTOCOLS: ProtocolRange = { min: 1, max: EDGE_HUB_PROTOCOL_VERSION };

/** Hub protocol versions this edge talks to. */
export const EDGE_SUPPORTED_HUB_PROTOCOLS: ProtocolRange = { min: 1, max: EDGE_HUB_PROTOCOL_VERSION };

/**
 * Body of the hub's 426: the error in the hub's usual form, plus both versions so the edge can name
 * them without parsing the message. A rejected WebSocket upgrade carries the error only, and the
 * versions in PROTOCOL_HEADER and PROTOCOL_RANGE_HEADER.
 */
export const protocolMismatchBodySchema = z.object({
  error: z.object({ code: z.literal(PROTOCOL_MISMATCH_CODE), message: z.string() }),
  edgeProtocol: z.number().int().optional(),
  hubProtocol: z.object({ min: z.number().int(), max: z.number().int() }).optional(),
});
export type ProtocolMismatchBody = z.infer<typeof protocolMismatchBodySchema>;

/**
 * Reads a protocol header value. A missing header means PROTOCOL_VERSION_WITHOUT_HEADER; a value that is
 * not a positive decimal integer returns null, so the caller can reject it with its own message.
 */
export function parseProtocolHeader(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return PROTOCOL_VERSION_WITHOUT_HEADER;
  const trimmed = value.trim();
  if (!/^[1-9]\d{0,8}$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** Formats a range as "1" or "1..3". */
export function describeProtocolRange(range: ProtocolRange): string {
  return range.min === range.max ? String(range.min) : `${range.min}..${range.max}`;
}

/**
 * Reads the hub's PROTOCOL_RANGE_HEADER. A missing header means a hub that predates it, which serves
 * version 1 only; a malformed one returns null.
 */
export function parseProtocolRangeHeader(value: string | null | undefined): ProtocolRange | null {
  if (value === null || value === undefined) return { min: PROTOCOL_VERSION_WITHOUT_HEADER, max: PROTOCOL_VERSION_WITHOUT_HEADER };
  const [low, high, ...rest] = value.trim().split('..');
  if (rest.length > 0) return null;
  const min = parseProtocolHeader(low ?? '');
  const max = high === undefined ? min : parseProtocolHeader(high);
  if (min === null || max === null || min > max) return null;
  return { min, max };
}

/** Outcome of a compatibility check; `update` names the side that must be updated. */
export type ProtocolCompatibility = { compatible: true } | { compatible: false; update: 'edge node' | 'hub'; message: string };

/**
 * Checks, on the hub, whether an edge of protocol `edgeVersion` may talk to a hub that serves `hubRange`.
 * An edge older than the range must be updated, a newer one needs a newer hub.
 */
export function checkEdgeProtocol(edgeVersion: number, hubRange: ProtocolRange = HUB_SUPPORTED_EDGE_PROTOCOLS): ProtocolCompatibility {
  if (edgeVersion >= hubRange.min && edgeVersion <= hubRange.max) return { compatible: true };
  const update = edgeVersion < hubRange.min ? 'edge node' : 'hub';
  return {
    compatible: false,
    update,
    message: `edge protocol ${edgeVersion} is not supported: this hub speaks ${describeProtocolRange(hubRange)}; update the ${update}`,
  };
}

/**
 * Checks, on the edge, whether a hub that reported protocol `hubVersion` is one this edge can talk to.
 * A hub older than the edge's range must be updated, a newer one needs a newer edge.
 */
export function checkHubProtocol(hubVersion: number, edgeRange: ProtocolRange = EDGE_SUPPORTED_HUB_PROTOCOLS): ProtocolCompatibility {
  if (hubVersion >= edgeRange.min && hubVersion <= edgeRange.max) return { compatible: true };
  const update = hubVersion < edgeRange.min ? 'hub' : 'edge node';
  return {
    compatible: false,
    update,
    message: `hub protocol ${hubVersion} is not supported: this edge node speaks ${describeProtocolRange(edgeRange)}; update the ${update}`,
  };
}
