import { parentPort } from 'node:worker_threads';

/**
 * Samples the process's resident set size every millisecond in its own thread, so it keeps sampling
 * while the main thread runs a long synchronous step. `{ type: 'start' }` resets the peak, and
 * `{ type: 'stop' }` replies with the peak in bytes since the last start.
 */

export interface RssSamplerPeak {
  type: 'peak';
  peakRssBytes: number;
}

const port = parentPort!;
let peakRssBytes = 0;

function sample(): void {
  const rss = process.memoryUsage.rss();
  if (rss > peakRssBytes) peakRssBytes = rss;
}

const timer = setInterval(sample, 1);
port.on('message', (message: { type: 'start' | 'stop' | 'exit' }) => {
  sample();
  if (message.type === 'start') peakRssBytes = process.memoryUsage.rss();
  else if (message.type === 'stop') port.postMessage({ type: 'peak', peakRssBytes } satisfies RssSamplerPeak);
  else {
    clearInterval(timer);
    port.close();
  }
});
