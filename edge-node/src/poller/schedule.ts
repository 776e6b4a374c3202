/**
 * Next tick of a drift-free schedule: ticks sit on `anchor + k * intervalMs`. When a poll overran one
 * or more ticks, the missed ones are skipped rather than run back to back, and their number returned.
 */
export function nextTick(anchor: number, intervalMs: number, now: number): { at: number; skipped: number } {
  const elapsedTicks = Math.floor((now - anchor) / intervalMs) + 1;
  const at = anchor + elapsedTicks * intervalMs;
  return { at, skipped: Math.max(0, elapsedTicks - 1) };
}
