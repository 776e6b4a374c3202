import { describe, expect, it } from 'vitest';
import { advanceCursor, eventOfTransition, GAP_GRACE_MS } from '../../src/notifications/transition-scan';

const nowMs = 1_760_000_000_000;
const row = (seq: number, ageMs = 0) => ({ seq: BigInt(seq), recordedAtMs: nowMs - ageMs });

describe('transition cursor', () => {
  it('advances over an unbroken run', () => {
    expect(advanceCursor(4n, [row(5), row(6), row(7)], nowMs)).toBe(7n);
  });

  it('stops before a recent gap', () => {
    expect(advanceCursor(4n, [row(5), row(7), row(8)], nowMs)).toBe(5n);
  });

  it('passes a gap once the row after it is old enough', () => {
    expect(advanceCursor(4n, [row(5), row(7, GAP_GRACE_MS), row(8)], nowMs)).toBe(8n);
  });

  it('stays put without rows', () => {
    expect(advanceCursor(4n, [], nowMs)).toBe(4n);
  });
});

describe('announced transitions', () => {
  it('maps raise, clear and first acknowledgement', () => {
    expect(eventOfTransition('raise', 'normal', 'active_unack')).toBe('alarm.raised');
    expect(eventOfTransition('clear', 'active_ack', 'normal')).toBe('alarm.cleared');
    expect(eventOfTransition('acknowledge', 'active_unack', 'active_ack')).toBe('alarm.acknowledged');
  });

  it('ignores repeated acknowledgements and other actions', () => {
    expect(eventOfTransition('acknowledge', 'active_ack', 'active_ack')).toBeNull();
    expect(eventOfTransition('comment', 'active_unack', 'active_unack')).toBeNull();
    expect(eventOfTransition('shelve', 'active_unack', 'shelved')).toBeNull();
  });
});
