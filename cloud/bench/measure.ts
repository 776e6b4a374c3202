/** Latency statistics of one benchmark, in milliseconds, and its throughput. */
export interface Measurement {
  name: string;
  operations: number;
  concurrency: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/**
 * Runs `operation` `operations` times with `concurrency` workers in flight, timing each call. Each call
 * gets the number of its worker, so state that must not be shared by two calls at once can be kept per worker.
 */
export async function measure(name: string, operations: number, concurrency: number, operation: (worker: number) => Promise<unknown>): Promise<Measurement> {
  const durations = new Float64Array(operations);
  let next = 0;
  const started = performance.now();
  const worker = async (_: unknown, workerIndex: number) => {
    while (next < operations) {
      const index = next++;
      const begin = performance.now();
      await operation(workerIndex);
      durations[index] = performance.now() - begin;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  durations.sort();
  return {
    name,
    operations,
    concurrency,
    opsPerSecond: operations / elapsedS,
    p50Ms: percentile(durations, 0.5),
    p99Ms: percentile(durations, 0.99),
    maxMs: durations[operations - 1]!,
  };
}
