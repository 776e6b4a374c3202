import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeScanPoller } from '../../../../src/pages/setup/scan-poller';
import type { ScanResult } from '../../../../src/pages/setup/setup-types';

function scanResult(state: ScanResult['state'], done: number): ScanResult {
  return { scanId: 'scan-1', cidr: '127.0.0.1/32', state, progress: { done, total: 2 }, found: [] };
}

/** Creates a read that resolves when the test calls `answer`, so the test controls the order of responses. */
function deferredReads() {
  const pending: ((result: ScanResult) => void)[] = [];
  const read = vi.fn(() => new Promise<ScanResult>((resolve) => pending.push(resolve)));
  return { read, answer: (result: ScanResult) => pending.shift()!(result) };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('makeScanPoller', () => {
  it('reads until the scan is done', async () => {
    const reads = deferredReads();
    const updates: string[] = [];
    makeScanPoller('scan-1', { read: reads.read, onUpdate: (result) => updates.push(result.state), onError: () => undefined, intervalMs: 1_000 });

    reads.answer(scanResult('running', 1));
    await vi.advanceTimersByTimeAsync(1_000);
    reads.answer(scanResult('done', 2));
    await vi.advanceTimersByTimeAsync(5_000);

    expect(reads.read).toHaveBeenCalledTimes(2);
    expect(updates).toEqual(['running', 'done']);
  });

  it('drops an answer that arrives after the stop', async () => {
    const reads = deferredReads();
    const onUpdate = vi.fn();
    const stop = makeScanPoller('scan-1', { read: reads.read, onUpdate, onError: () => undefined });

    stop();
    reads.answer(scanResult('running', 1));
    await vi.advanceTimersByTimeAsync(5_000);

    expect(onUpdate).not.toHaveBeenCalled();
    expect(reads.read).toHaveBeenCalledTimes(1);
  });

  it('stops the next read when stopped between reads', async () => {
    const reads = deferredReads();
    const stop = makeScanPoller('scan-1', { read: reads.read, onUpdate: () => undefined, onError: () => undefined, intervalMs: 1_000 });

    reads.answer(scanResult('running', 1));
    await vi.advanceTimersByTimeAsync(0);
    stop();
    await vi.advanceTimersByTimeAsync(5_000);

    expect(reads.read).toHaveBeenCalledTimes(1);
  });

  it('reports a failed read and stops', async () => {
    const read = vi.fn(() => Promise.reject(new Error('scan not found')));
    const onError = vi.fn();
    makeScanPoller('scan-1', { read, onUpdate: () => undefined, onError });

    await vi.advanceTimersByTimeAsync(5_000);

    expect(onError).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
