import type { BACNetAddress } from '@bacnet-js/client';
import type { BacnetClientInstance } from '../../drivers/bacnet/bacnet-library';

/**
 * PDUs that @bacnet-js/client 3.3 cannot send as a device: Reject, Abort, and an I-Am that states a
 * max APDU other than its own 1482. Each is written after a plain NPDU and handed to `sendBvlc`,
 * which adds the BVLC header.
 */

const BVLC_HEADER_OCTETS = 4;
const NPDU_VERSION = 0x01;
const NPDU_NORMAL_PRIORITY = 0x00;
const PDU_REJECT = 0x60;
const PDU_ABORT_FROM_SERVER = 0x71;
const PDU_UNCONFIRMED_REQUEST = 0x10;
const SERVICE_I_AM = 0x00;
const OBJECT_TYPE_DEVICE = 8;

function send(client: BacnetClientInstance, receiver: BACNetAddress, apdu: number[]): void {
  const buffer = Buffer.alloc(BVLC_HEADER_OCTETS + 2 + apdu.length);
  let offset = BVLC_HEADER_OCTETS;
  buffer[offset++] = NPDU_VERSION;
  buffer[offset++] = NPDU_NORMAL_PRIORITY;
  for (const octet of apdu) buffer[offset++] = octet;
  client.sendBvlc(receiver, { buffer, offset });
}

/** Encodes an application-tagged Unsigned or Enumerated (tag 2 or 9) in as few octets as it needs. */
function applicationUnsigned(tag: number, value: number): number[] {
  const octets: number[] = [];
  let rest = value;
  do {
    octets.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return [(tag << 4) | octets.length, ...octets];
}

/** Sends a Reject PDU for a confirmed request. */
export function sendReject(client: BacnetClientInstance, receiver: BACNetAddress, invokeId: number, reason: number): void {
  send(client, receiver, [PDU_REJECT, invokeId, reason]);
}

/** Sends an Abort PDU as the server of the transaction. */
export function sendAbort(client: BacnetClientInstance, receiver: BACNetAddress, invokeId: number, reason: number): void {
  send(client, receiver, [PDU_ABORT_FROM_SERVER, invokeId, reason]);
}

/** Sends an I-Am that states the device's own max APDU and segmentation support. */
export function sendIAm(
  client: BacnetClientInstance,
  receiver: BACNetAddress,
  device: { instance: number; maxApduLength: number; segmentation: number; vendorId: number },
): void {
  const objectId = (OBJECT_TYPE_DEVICE << 22) | device.instance;
  send(client, receiver, [
    PDU_UNCONFIRMED_REQUEST,
    SERVICE_I_AM,
    0xc4,
    (objectId >>> 24) & 0xff,
    (objectId >>> 16) & 0xff,
    (objectId >>> 8) & 0xff,
    objectId & 0xff,
    ...applicationUnsigned(2, device.maxApduLength),
    ...applicationUnsigned(9, device.segmentation),
    ...applicationUnsigned(2, device.vendorId),
  ]);
}
