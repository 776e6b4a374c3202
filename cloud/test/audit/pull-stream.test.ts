import { describe, expect, it } from 'vitest';
import { createPullStream } from '../../src/audit/pull-stream';

const KIB = 'x'.repeat(1024);

/** Lets pending promise callbacks and stream algorithms run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('createPullStream', () => {
  it('pauses the producer while the reader lags', async () => {
    let written = 0;
    const stream = createPullStream(async (write) => {
      for (let chunk = 0; chunk < 200; chunk++) {
        await write(KIB);
        written++;
      }
    }, () => {});
    await settle();
    expect(written).toBeLessThan(100);
    const text = await new Response(stream).text();
    expect(written).toBe(200);
    expect(text).toHaveLength(200 * 1024);
  });

  it('tells the producer when the reader cancels', async () => {
    let result: boolean | undefined;
    const stream = createPullStream(async (write) => {
      do result = await write(KIB);
      while (result);
    }, () => {});
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    await settle();
    expect(result).toBe(false);
  });

  it('aborts the stream when the producer fails', async () => {
    const errors: unknown[] = [];
    const stream = createPullStream(async (write) => {
      await write('partial');
      throw new Error('query failed');
    }, (error) => errors.push(error));
    await expect(new Response(stream).text()).rejects.toThrow('query failed');
    expect(errors).toHaveLength(1);
  });
});
