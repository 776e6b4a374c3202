/**
 * Reads the BVLC and NPDU headers of a BACnet/IP datagram far enough to find the APDU's type and
 * invoke id, without decoding the service. The shared client uses it to check which device a reply
 * came from and to tell a Reject from an Abort, which @bacnet-js/client 3.3 reports alike.
 */

/** APDU types, the high nibble of the first APDU octet (ANSI/ASHRAE 135 clause 20.1). */
export const apduTypes = {
  confirmedRequest: 0x0,
  unconfirmedRequest: 0x1,
  simpleAck: 0x2,
  complexAck: 0x3,
  segmentAck: 0x4,
  error: 0x5,
  reject: 0x6,
  abort: 0x7,
} as const;

const BVLL_TYPE_BACNET_IP = 0x81;
const BVLC_FORWARDED_NPDU = 0x04;
const BVLC_DISTRIBUTE_BROADCAST = 0x09;
const BVLC_ORIGINAL_UNICAST = 0x0a;
const BVLC_ORIGINAL_BROADCAST = 0x0b;
const NPDU_NETWORK_MESSAGE = 0x80;
const NPDU_DESTINATION = 0x20;
const NPDU_SOURCE = 0x08;
const ABORT_SERVER_BIT = 0x01;

/** What `peekApdu` found in a datagram that carries an APDU. */
export interface PeekedApdu {
  /** APDU type from `apduTypes`. */
  type: number;
  /** Invoke id of a reply (for a Segment-ACK, the original invoke id); absent on requests. */
  invokeId?: number;
  /** Reject or abort reason. */
  reason?: number;
  /** Whether an Abort was sent by the server side of the transaction. */
  fromServer?: boolean;
  /** Source network and MAC of a routed sender, from the NPDU. */
  sourceNetwork?: number;
  sourceMac?: number[];
}

/** Returns the APDU header of a BACnet/IP datagram, or undefined for BVLC-only and network-layer messages. */
export function peekApdu(datagram: Buffer): PeekedApdu | undefined {
  if (datagram.length < 6 || datagram[0] !== BVLL_TYPE_BACNET_IP) return undefined;
  const bvlcFunction = datagram[1];
  let offset: number;
  if (bvlcFunction === BVLC_FORWARDED_NPDU) offset = 10;
  else if (bvlcFunction === BVLC_ORIGINAL_UNICAST || bvlcFunction === BVLC_ORIGINAL_BROADCAST || bvlcFunction === BVLC_DISTRIBUTE_BROADCAST) offset = 4;
  else return undefined;

  if (datagram[offset] !== 0x01) return undefined;
  const control = datagram[offset + 1] ?? 0;
  offset += 2;
  if (control & NPDU_DESTINATION) offset += 3 + (datagram[offset + 2] ?? 0);
  const peeked: Partial<PeekedApdu> = {};
  if (control & NPDU_SOURCE) {
    const length = datagram[offset + 2] ?? 0;
    peeked.sourceNetwork = datagram.readUInt16BE(offset);
    peeked.sourceMac = [...datagram.subarray(offset + 3, offset + 3 + length)];
    offset += 3 + length;
  }
  if (control & NPDU_DESTINATION) offset += 1;
  if (control & NPDU_NETWORK_MESSAGE || offset >= datagram.length) return undefined;

  const first = datagram[offset]!;
  const type = first >> 4;
  const result: PeekedApdu = { ...peeked, type };
  switch (type) {
    case apduTypes.simpleAck:
    case apduTypes.complexAck:
    case apduTypes.segmentAck:
    case apduTypes.error:
      result.invokeId = datagram[offset + 1];
      break;
    case apduTypes.reject:
      result.invokeId = datagram[offset + 1];
      result.reason = datagram[offset + 2];
      break;
    case apduTypes.abort:
      result.invokeId = datagram[offset + 1];
      result.reason = datagram[offset + 2];
      result.fromServer = (first & ABORT_SERVER_BIT) !== 0;
      break;
    default:
      break;
  }
  return result;
}
