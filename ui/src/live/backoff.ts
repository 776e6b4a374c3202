/** Reconnection delays: doubling from `initialMs` up to `maxMs`, with jitter so clients spread out after an outage. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random, initialMs = 500, maxMs = 30_000): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
