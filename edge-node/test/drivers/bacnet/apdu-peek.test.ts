import { describe, expect, it } from 'vitest';
import { apduTypes, peekApdu } from '../../../src/drivers/bacnet/apdu-peek';

function datagram(bvlcFunction: number, npdu: number[], apdu: number[]): Buffer {
  const body = [...npdu, ...apdu];
  const header = bvlcFunction === 0x04 ? [0x81, 0x04, 0, 10 + body.length, 10, 0, 0, 1, 0xba, 0xc0] : [0x81, bvlcFunction, 0, 4 + body.length];
  return Buffer.from([...header, ...body]);
}

describe('peekApdu', () => {
  it('reads a simple ack after a plain NPDU', () => {
    expect(peekApdu(datagram(0x0a, [0x01, 0x00], [0x20, 17, 15]))).toEqual({ type: apduTypes.simpleAck, invokeId: 17 });
  });

  it('tells a reject from an abort and reads the reason', () => {
    expect(peekApdu(datagram(0x0a, [0x01, 0x00], [0x60, 3, 9]))).toEqual({ type: apduTypes.reject, invokeId: 3, reason: 9 });
    expect(peekApdu(datagram(0x0a, [0x01, 0x00], [0x71, 4, 4]))).toEqual({ type: apduTypes.abort, invokeId: 4, reason: 4, fromServer: true });
    expect(peekApdu(datagram(0x0a, [0x01, 0x00], [0x70, 4, 4]))?.fromServer).toBe(false);
  });

  it('skips the source of a routed reply and keeps it', () => {
    const npdu = [0x01, 0x08, 0x00, 0x05, 0x01, 0x0a];
    expect(peekApdu(datagram(0x0a, npdu, [0x30, 200, 12]))).toEqual({ type: apduTypes.complexAck, invokeId: 200, sourceNetwork: 5, sourceMac: [0x0a] });
  });

  it('skips a destination and its hop count', () => {
    const npdu = [0x01, 0x20, 0xff, 0xff, 0x00, 0xff];
    expect(peekApdu(datagram(0x0b, npdu, [0x10, 0x08]))).toEqual({ type: apduTypes.unconfirmedRequest });
  });

  it('reads a forwarded NPDU after its originating address', () => {
    expect(peekApdu(datagram(0x04, [0x01, 0x00], [0x50, 7, 12]))).toEqual({ type: apduTypes.error, invokeId: 7 });
  });

  it('ignores network layer messages and BVLC results', () => {
    expect(peekApdu(datagram(0x0a, [0x01, 0x80, 0x00], []))).toBeUndefined();
    expect(peekApdu(Buffer.from([0x81, 0x00, 0x00, 0x06, 0x00, 0x00]))).toBeUndefined();
    expect(peekApdu(Buffer.from([0x82, 0x0a, 0x00, 0x07, 0x01, 0x00, 0x20]))).toBeUndefined();
  });
});
