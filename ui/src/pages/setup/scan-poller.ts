import type { ScanResult } from './setup-types';

/** Pause between two reads of a running scan. */
export const SCAN_POLL_INTERVAL_MS = 1_000;

/** Options of `makeScanPoller`: how to read the scan, whom to notify, and the timer (injectable for tests). */
export interface ScanPollerOptions {
  read(scanId: string): Promise<ScanResult>;
  onUpdate(result: ScanResult): void;
  onError(error: unknown): void;
  intervalMs?: number;
  setTimer?: (run: () => void, delayMs: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * Reads the scan `scanId` now and again after each response, until its state is no longer `running`,
 * a read fails, or the returned function stops it. One read runs at a time, and a response that
 * arrives after the stop is dropped, so a scan started later never shows an older scan's devices.
 */
export function makeScanPoller(scanId: string, options: ScanPollerOptions): () => void {
  const intervalMs = options.intervalMs ?? SCAN_POLL_INTERVAL_MS;
  const setTimer = options.setTimer ?? ((run, delayMs) => setTimeout(run, delayMs));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  let stopped = false;
  let timer: unknown;

  const poll = async () => {
    let result: ScanResult;
    try {
      result = await options.read(scanId);
    } catch (error) {
      if (!stopped) options.onError(error);
      return;
    }
    if (stopped) return;
    options.onUpdate(result);
    if (result.state === 'running') timer = setTimer(() => void poll(), intervalMs);
  };

  void poll();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimer(timer);
  };
}
