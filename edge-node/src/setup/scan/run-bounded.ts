/**
 * Runs `worker` on every item with at most `limit` calls in flight, in item order. Items not yet
 * started when `signal` aborts are skipped. A worker that throws does not stop the others. The first
 * error is rethrown once all calls have finished, so no call is still running when this returns.
 */
export async function runBounded<T>(items: readonly T[], limit: number, worker: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const lane = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++]!;
      try {
        await worker(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (errors.length > 0) throw errors[0];
}
