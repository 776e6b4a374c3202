/**
 * Next tick of a drift-free schedule whose ticks sit `intervalMs` apart, starting from the tick
 * that just ran (`previousTickAt`). When the poll overran one or more ticks, the missed ones are
 * skipped rather than run back to back, and `skipped` counts only those. A tick due exactly at
 * `now` is not missed: it runs at once.
 */
export function nextTick(previousTickAt: number, intervalMs: number, now: number): { at: number; skipped: number } {
  const due = previousTickAt + intervalMs;
  if (now <= due) return { at: due, skipped: 0 };
  const skipped = Math.ceil((now - due) / intervalMs);
  return { at: due + skipped * intervalMs, skipped };
}
