import {
  checkHubProtocol,
  EDGE_HUB_PROTOCOL_VERSION,
  EDGE_SUPPORTED_HUB_PROTOCOLS,
  parseProtocolHeader,
  parseProtocolRangeHeader,
  PROTOCOL_HEADER,
  PROTOCOL_MISMATCH_STATUS,
  PROTOCOL_RANGE_HEADER,
  protocolMismatchBodySchema,
  type ProtocolRange,
} from '@simtestlab/sync';
import { HubResponseError } from './hub-errors';

/**
 * The edge and the hub speak incompatible edge-hub protocol versions. Permanent: retrying cannot help
 * until one side is updated, which the message names together with both versions.
 */
export class ProtocolMismatchError extends HubResponseError {
  override name = 'ProtocolMismatchError';
  constructor(
    message: string,
    readonly edgeProtocol: number,
    /** The hub's own version, the range it serves when it sent a 426, or null when its 426 named none. */
    readonly hubProtocol: number | ProtocolRange | null,
    readonly update: 'edge node' | 'hub',
  ) {
    super(PROTOCOL_MISMATCH_STATUS, 'protocol_unsupported', message);
  }
}

/** The edge's protocol settings; tests force another version to check the hub's response. */
export interface EdgeProtocol {
  version: number;
  supportedHubs: ProtocolRange;
}

/** The protocol this build of the edge speaks. */
export const CURRENT_EDGE_PROTOCOL: EdgeProtocol = { version: EDGE_HUB_PROTOCOL_VERSION, supportedHubs: EDGE_SUPPORTED_HUB_PROTOCOLS };

/** Header the edge sends on every request to the hub. */
export function edgeProtocolHeaders(protocol: EdgeProtocol = CURRENT_EDGE_PROTOCOL): Record<string, string> {
  return { [PROTOCOL_HEADER]: String(protocol.version) };
}

/** Returns the instruction that follows "update the edge node"; the hub's operator knows how to update a hub. */
function howToUpdate(update: 'edge node' | 'hub'): string {
  if (update === 'hub') return '';
  return ': run "simtestlab-edge update apply" (the update timer also does this) or install the new package';
}

/**
 * Returns the mismatch a hub response shows, or null when the two sides can talk: a 426 from the hub,
 * or a protocol header of the hub outside the edge's supported range. A response without the header
 * comes from a hub of protocol 1. Reads the body of a 426 only, from a clone.
 */
export async function findProtocolMismatch(response: Response, cloudUrl: string, protocol: EdgeProtocol = CURRENT_EDGE_PROTOCOL): Promise<ProtocolMismatchError | null> {
  if (response.status === PROTOCOL_MISMATCH_STATUS) {
    const parsed = protocolMismatchBodySchema.safeParse(await response.clone().json().catch(() => null));
    const hubRange = (parsed.success ? parsed.data.hubProtocol : undefined) ?? parseProtocolRangeHeader(response.headers.get(PROTOCOL_RANGE_HEADER));
    const reason = parsed.success ? parsed.data.error.message : `edge protocol ${protocol.version} is not supported by this hub`;
    const update = hubRange !== null && protocol.version < hubRange.min ? 'edge node' : 'hub';
    return new ProtocolMismatchError(`the cloud hub at ${cloudUrl} rejected this edge node (HTTP 426): ${reason}${howToUpdate(update)}`, protocol.version, hubRange, update);
  }
  const hubVersion = parseProtocolHeader(response.headers.get(PROTOCOL_HEADER));
  if (hubVersion === null) return null;
  const check = checkHubProtocol(hubVersion, protocol.supportedHubs);
  if (check.compatible) return null;
  return new ProtocolMismatchError(`the cloud hub at ${cloudUrl} speaks an incompatible protocol: ${check.message}${howToUpdate(check.update)}`, protocol.version, hubVersion, check.update);
}
