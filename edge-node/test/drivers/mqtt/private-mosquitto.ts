import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBrokerReachable } from '../../../src/simulate/embedded-broker';

/** A Mosquitto this test started on its own port and config file, which it may stop and restart. */
export interface PrivateMosquitto {
  url: string;
  port: number;
  /** Stops the broker process (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts the broker again on the same port. */
  start(): Promise<void>;
  /** Stops the broker and removes its config folder. */
  dispose(): Promise<void>;
}

async function findFreePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

/**
 * Starts `mosquitto -c <file>` with a loopback listener on a free port, anonymous access and no
 * persistence. Throws naming Mosquitto when it is not installed or does not come up within 5 s.
 */
export async function startPrivateMosquitto(): Promise<PrivateMosquitto> {
  const port = await findFreePort();
  const dir = await mkdtemp(join(tmpdir(), 'simtestlab-mosquitto-'));
  const configFile = join(dir, 'mosquitto.conf');
  await writeFile(configFile, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const url = `mqtt://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    const process = spawn('mosquitto', ['-c', configFile], { stdio: 'ignore' });
    child = process;
    const failed = new Promise<never>((_, reject) => {
      process.once('error', (error) => reject(new Error('could not run mosquitto; install it with apt-get install mosquitto', { cause: error })));
      process.once('exit', (code) => reject(new Error(`mosquitto -c ${configFile} exited with code ${code}`)));
    });
    failed.catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (!(await Promise.race([isBrokerReachable(url, 300), failed]))) {
      if (Date.now() > deadline) throw new Error(`mosquitto did not accept connections on ${url} within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    url,
    port,
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
