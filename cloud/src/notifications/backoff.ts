/**
 * Returns the delay before the retry that follows failed attempt number `failedAttempts` (1 for the
 * first). The window doubles with each failure from `baseMs` and the delay is drawn from its upper
 * half, so retries of deliveries that failed together spread out while each retry waits at least as
 * long as the one before it. Delays are cut to `maxBackoffMs`, without jitter there.
 */
export function retryDelayMs(failedAttempts: number, settings: { backoffBaseMs: number; maxBackoffMs: number }, random: () => number = Math.random): number {
  const windowMs = settings.backoffBaseMs * 2 ** Math.max(0, failedAttempts - 1);
  return Math.min(settings.maxBackoffMs, Math.round(windowMs / 2 + (random() * windowMs) / 2));
}
