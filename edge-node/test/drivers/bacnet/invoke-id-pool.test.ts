import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvokeIdPool, InvokeIdPoolClosedError } from '../../../src/drivers/bacnet/invoke-id-pool';

describe('InvokeIdPool', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands out ids 1 to 255 once each', async () => {
    const pool = new InvokeIdPool();
    const ids = await Promise.all(Array.from({ length: 255 }, () => pool.acquire()));
    expect(new Set(ids).size).toBe(255);
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(255);
    expect(pool.stats()).toMatchObject({ outstanding: 255, maxOutstanding: 255, waiting: 0 });
  });

  it('makes the 256th request wait for a released id', async () => {
    const pool = new InvokeIdPool();
    const ids = await Promise.all(Array.from({ length: 255 }, () => pool.acquire()));
    let next: number | undefined;
    const waiting = pool.acquire().then((id) => (next = id));
    await Promise.resolve();
    expect(next).toBeUndefined();
    expect(pool.stats().waiting).toBe(1);
    pool.release(ids[10]!);
    await waiting;
    expect(next).toBe(ids[10]);
    expect(pool.stats()).toMatchObject({ outstanding: 255, maxOutstanding: 255, waiting: 0 });
  });

  it('reuses a freed id as late as possible', async () => {
    const pool = new InvokeIdPool(3);
    const first = await pool.acquire();
    pool.release(first);
    expect(await pool.acquire()).not.toBe(first);
    expect(await pool.acquire()).not.toBe(first);
    expect(await pool.acquire()).toBe(first);
  });

  it('holds back an id after a timeout', async () => {
    vi.useFakeTimers();
    const pool = new InvokeIdPool(1);
    const id = await pool.acquire();
    pool.release(id, 1000);
    let next: number | undefined;
    const waiting = pool.acquire().then((value) => (next = value));
    await vi.advanceTimersByTimeAsync(999);
    expect(next).toBeUndefined();
    expect(pool.stats().quarantined).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(next).toBe(id);
  });

  it('rejects waiting requests on close and on abort', async () => {
    const pool = new InvokeIdPool(1);
    await pool.acquire();
    const controller = new AbortController();
    const aborted = pool.acquire(controller.signal);
    const closed = pool.acquire();
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(InvokeIdPoolClosedError);
    pool.close();
    await expect(closed).rejects.toThrow('the BACnet client is closed');
    await expect(pool.acquire()).rejects.toBeInstanceOf(InvokeIdPoolClosedError);
  });

  it('refuses a size above 255', () => {
    expect(() => new InvokeIdPool(256)).toThrow(RangeError);
  });
});
