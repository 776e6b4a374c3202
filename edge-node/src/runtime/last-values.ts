import type { Sample } from '@simtestlab/sync';

/**
 * The latest sample of every point, for the REST API and for new live clients. A good value older
 * than three poll intervals is reported as stale.
 */
export class LastValues {
  private readonly samples = new Map<string, Sample>();
  private readonly intervals = new Map<string, number>();

  setInterval(pointId: string, intervalMs: number): void {
    this.intervals.set(pointId, intervalMs);
  }

  set(sample: Sample): void {
    this.samples.set(sample.point, sample);
  }

  /** Returns the latest sample, with its quality turned to stale when it is too old. */
  get(pointId: string, now: number): Sample | undefined {
    const sample = this.samples.get(pointId);
    if (!sample) return undefined;
    const intervalMs = this.intervals.get(pointId) ?? 5000;
    if (sample.quality === 'good' && now - sample.ts > 3 * intervalMs) return { ...sample, quality: 'stale' };
    return sample;
  }

  /** Returns the stored sample as it came in, without the staleness check. */
  raw(pointId: string): Sample | undefined {
    return this.samples.get(pointId);
  }

  /** Returns every stored sample as it came in. */
  values(): IterableIterator<Sample> {
    return this.samples.values();
  }

  entries(): IterableIterator<[string, Sample]> {
    return this.samples.entries();
  }
}
