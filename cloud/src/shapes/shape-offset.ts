/**
 * Offsets of the shape protocol, `<int>_<int>`, increasing within a handle. A change in the log has the
 * offset `<xid>_<id>` (its transaction id, then its change_log id). A snapshot taken while the oldest
 * running transaction was X ends at `<X-1>_<SNAPSHOT_END>`, so reading on from it starts with the
 * changes of transaction X, the first one the snapshot may not have seen. Pages inside a snapshot have
 * the offset `<X-1>_<SNAPSHOT_BASE + k>`, with k the last key sent as a 128-bit integer: above every
 * change_log id (a bigint) and below the snapshot's end.
 */

/** Largest change_log id, the largest Postgres bigint. */
export const MAX_CHANGE_ID = 2n ** 63n - 1n;

/** Second part of a page offset inside a snapshot, before the key is added. */
export const SNAPSHOT_BASE = MAX_CHANGE_ID + 1n;

/** Second part of the offset where a snapshot ends. */
export const SNAPSHOT_END = SNAPSHOT_BASE + 2n ** 128n;

/** A position in a shape's stream. */
export type ShapeOffset =
  | { kind: 'start' }
  /** Inside a snapshot whose log continues after `horizonXid`; `afterKey` is the last uuid key sent. */
  | { kind: 'snapshot'; horizonXid: bigint; afterKey: string }
  /** In the change log, after the change (`xid`, `id`); `id` is MAX_CHANGE_ID after a snapshot's end. */
  | { kind: 'log'; xid: bigint; id: bigint };

const OFFSET_PATTERN = /^(\d{1,20})_(\d{1,40})$/;

/** Parses an offset query parameter; returns null for a value that is not a valid offset. */
export function parseShapeOffset(text: string): ShapeOffset | null {
  if (text === '-1') return { kind: 'start' };
  const match = OFFSET_PATTERN.exec(text);
  if (!match) return null;
  const xid = BigInt(match[1]!);
  const position = BigInt(match[2]!);
  if (position <= MAX_CHANGE_ID) return { kind: 'log', xid, id: position };
  if (position >= SNAPSHOT_END) return { kind: 'log', xid, id: MAX_CHANGE_ID };
  return { kind: 'snapshot', horizonXid: xid, afterKey: uuidOfInteger(position - SNAPSHOT_BASE) };
}

/** Formats the offset of a change in the log. */
export function changeOffset(xid: bigint, id: bigint): string {
  return `${xid}_${id}`;
}

/** Formats the offset of a snapshot page that ended with `lastKey`, or of the snapshot's end. */
export function snapshotOffset(horizonXid: bigint, lastKey: string | 'end'): string {
  const position = lastKey === 'end' ? SNAPSHOT_END : SNAPSHOT_BASE + integerOfUuid(lastKey);
  return `${horizonXid}_${position}`;
}

/** Compares two offsets in stream order: negative when `a` comes first. */
export function compareShapeOffsets(a: string, b: string): number {
  const [aXid, aPosition] = offsetParts(a);
  const [bXid, bPosition] = offsetParts(b);
  if (aXid !== bXid) return aXid < bXid ? -1 : 1;
  if (aPosition === bPosition) return 0;
  return aPosition < bPosition ? -1 : 1;
}

function offsetParts(offset: string): [bigint, bigint] {
  if (offset === '-1') return [-1n, 0n];
  const match = OFFSET_PATTERN.exec(offset);
  if (!match) throw new Error(`shape offset "${offset}" is invalid: expected -1 or <integer>_<integer>`);
  return [BigInt(match[1]!), BigInt(match[2]!)];
}

/** Reads a uuid as the 128-bit integer it spells; Postgres orders uuids the same way. */
export function integerOfUuid(uuid: string): bigint {
  return BigInt(`0x${uuid.replaceAll('-', '')}`);
}

function uuidOfInteger(value: bigint): string {
  const hex = value.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
