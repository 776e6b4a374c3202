import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScanTuning, scanAbortController } from '../../src/setup/scan/scan-job';
import { probeTcpPort } from '../../src/setup/scan/tcp-probe';

// A scan's probes all listen on one abort signal. As many as the scan runs at once must not make Node
// warn about a listener leak.

/** Returns a local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('the test server has no TCP address');
  return address.port;
}

describe('scan abort signal', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('carries a full scan of probes without warning', async () => {
    process.on('warning', onWarning);
    const port = await closedPort();
    const controller = scanAbortController(defaultScanTuning.concurrency);

    const probes = Array.from({ length: defaultScanTuning.concurrency }, () => probeTcpPort('127.0.0.1', port, 5000, controller.signal));
    controller.abort();
    expect(await Promise.all(probes)).toEqual(Array.from({ length: defaultScanTuning.concurrency }, () => false));
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
