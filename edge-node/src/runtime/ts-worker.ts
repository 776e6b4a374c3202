import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { releaseVersion } from './install-paths';

/**
 * Finds the ES module entry of tsx's register API from its package.json, so the lookup works under
 * test runners that lack `import.meta.resolve`. The CommonJS entry cannot be imported into a worker.
 */
function tsxRegisterApiUrl(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(packageJson), manifest.exports['./esm/api']!.import.default)).href;
}

/**
 * Starts a worker thread that runs a TypeScript module. Node 20 does not pass tsx's loader on to
 * worker threads (tsx 4.x), so the worker first registers tsx and then imports the module. In the
 * release, `moduleUrl` resolves next to `lib/edge-node.mjs`, where the build put the module bundled
 * as `<name>.mjs`, so the worker runs that file without tsx.
 */
export function startTsWorker(moduleUrl: URL, workerData: unknown): Worker {
  if (releaseVersion !== undefined) return new Worker(new URL(moduleUrl.href.replace(/\.ts$/, '.mjs')), { workerData });
  const bootstrap = `import(${JSON.stringify(tsxRegisterApiUrl())}).then((api) => { api.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** Waits for the next message from `worker` that `accept` matches. Rejects if the worker fails or exits first. */
export function nextMessage<T>(worker: Worker, accept: (message: unknown) => message is T, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    const onMessage = (message: unknown) => {
      if (accept(message)) finish(undefined, message);
    };
    const onError = (error: Error) => finish(new Error(`worker failed while waiting for ${what}`, { cause: error }));
    const onExit = (code: number) => finish(new Error(`worker exited with code ${code} while waiting for ${what}`));
    function finish(error: Error | undefined, message?: T): void {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (error) reject(error);
      else resolve(message as T);
    }
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
