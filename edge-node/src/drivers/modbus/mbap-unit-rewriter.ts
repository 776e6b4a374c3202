/** Bytes of the Modbus TCP MBAP header: transaction id, protocol id, length, unit id. */
const MBAP_HEADER_BYTES = 7;
const UNIT_ID_OFFSET = 6;

/**
 * Follows the Modbus TCP frames of a received byte stream and, in place, replaces the unit id of a
 * reply with the unit id of the request in flight when the reply carries one of `acceptUnitIds`.
 *
 * modbus-serial 8.0 rejects a reply whose unit id differs from the request's ("Unexpected data
 * error"), but many gateways reply with unit 0 or 255. The driver registers `process` as the first
 * `data` listener of its socket, so modbus-serial parses the rewritten bytes. Frames may arrive split
 * across TCP segments or several in one segment; the header is tracked byte by byte across chunks.
 * Use one rewriter per connection, from its first byte.
 */
export class MbapUnitRewriter {
  private readonly header = Buffer.alloc(MBAP_HEADER_BYTES);
  private headerBytes = 0;
  private bodyBytesLeft = 0;

  constructor(
    private readonly acceptUnitIds: ReadonlySet<number>,
    private readonly expectedUnitId: () => number | undefined,
  ) {}

  /** Rewrites the unit ids in `chunk` where needed; returns how many it rewrote. */
  process(chunk: Buffer): number {
    let rewritten = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyBytesLeft > 0) {
        const skip = Math.min(this.bodyBytesLeft, chunk.length - i);
        this.bodyBytesLeft -= skip;
        i += skip;
        continue;
      }
      if (this.headerBytes === UNIT_ID_OFFSET && this.rewriteUnitId(chunk, i)) rewritten++;
      this.header[this.headerBytes] = chunk[i]!;
      this.headerBytes++;
      i++;
      if (this.headerBytes === MBAP_HEADER_BYTES) {
        // The MBAP length field counts the unit id byte and the PDU.
        this.bodyBytesLeft = Math.max(0, this.header.readUInt16BE(4) - 1);
        this.headerBytes = 0;
      }
    }
    return rewritten;
  }

  private rewriteUnitId(chunk: Buffer, index: number): boolean {
    const expected = this.expectedUnitId();
    const received = chunk[index]!;
    if (expected === undefined || received === expected || !this.acceptUnitIds.has(received)) return false;
    chunk[index] = expected;
    return true;
  }
}
