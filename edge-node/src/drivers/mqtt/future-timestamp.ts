/**
 * How far a payload's own timestamp may be ahead of the edge clock, in ms. The 5 minutes are a
 * chosen margin, not a measured one: NTP usually keeps clocks within a second, and the margin leaves
 * room for a publisher whose clock drifts without NTP. A timestamp further ahead comes from a wrong
 * clock or a wrong unit (µs taken for ms), and as a point's latest time it would make every later
 * message look out of order.
 */
export const MAX_SOURCE_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * Checks a payload timestamp against the edge clock, both in epoch ms. Returns the problem when the
 * timestamp is more than `MAX_SOURCE_CLOCK_AHEAD_MS` ahead, or undefined when it is acceptable.
 */
export function checkFutureTimestamp(sourceTs: number, nowMs: number): { problem: 'future_timestamp'; detail: string } | undefined {
  const aheadMs = sourceTs - nowMs;
  if (aheadMs <= MAX_SOURCE_CLOCK_AHEAD_MS) return undefined;
  const aheadS = Math.round(aheadMs / 1000);
  const limitS = MAX_SOURCE_CLOCK_AHEAD_MS / 1000;
  const when = Number.isFinite(new Date(sourceTs).getTime()) ? new Date(sourceTs).toISOString() : String(sourceTs);
  return {
    problem: 'future_timestamp',
    detail: `payload timestamp ${when} is ${aheadS} s ahead of the edge clock, more than the ${limitS} s allowed; check the publisher's clock and that its timestamp is in ms or s`,
  };
}
