/**
 * Exponential backoff with jitter: the n-th retry waits a random time between half and all of
 * min(maxMs, baseMs * 2^(n-1)), and never less than `baseMs`, so many devices that failed together
 * do not retry together.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(baseMs, Math.round(ceiling * (0.5 + random() * 0.5)));
}
