import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BrowserAlarm, BrowserClientsReady, BrowserClientsReport, ParentCommand } from './browser-clients-protocol';

const CHILD_SCRIPT = fileURLToPath(new URL('./browser-clients-child.ts', import.meta.url));
const CLOUD_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Browser-like sockets on a hub's `/ws`, subscribed to one site, in a child process. */
export interface BrowserClients {
  /** Starts counting what arrives. */
  start(): void;
  /** Stops counting and returns what arrived since `start`. */
  stop(): Promise<BrowserClientsReport>;
  /**
   * Resolves with the next `site-alarm` message of the first socket that `accept` takes. Call it before
   * causing the alarm change, so the message cannot arrive before the wait starts.
   */
  nextAlarm(accept: (alarm: BrowserAlarm) => boolean, timeoutMs: number): Promise<BrowserAlarm>;
  /** Closes the sockets and ends the child process. */
  close(): Promise<void>;
}

function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number, stderr: () => string, accept: (message: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the browser clients sent no "${type}" within ${timeoutMs} ms; stderr: ${stderr().slice(-1000)}`)), timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message.type === type && accept(message as T)) finish(undefined, message as T);
    };
    const onExit = (code: number | null) => finish(new Error(`the browser clients exited with ${code} before "${type}"; stderr: ${stderr().slice(-1000)}`));
    function finish(error: Error | undefined, message?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Opens `sockets` sockets on `url` with `token`, subscribes them to `siteId` and resolves once all are subscribed. */
export async function startBrowserClients(url: string, token: string, siteId: string, sockets: number): Promise<BrowserClients> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, JSON.stringify({ url, token, siteId, sockets })], {
    cwd: CLOUD_DIR,
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const send = (command: ParentCommand) => child.send(command);
  try {
    await nextMessage<BrowserClientsReady>(child, 'ready', 120_000, () => stderr);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    start: () => send({ type: 'start' }),
    stop: async () => {
      const report = nextMessage<BrowserClientsReport>(child, 'report', 30_000, () => stderr);
      send({ type: 'stop' });
      return report;
    },
    nextAlarm: (accept, timeoutMs) => nextMessage<BrowserAlarm>(child, 'site-alarm', timeoutMs, () => stderr, accept),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      send({ type: 'close' });
      await exited;
    },
  };
}
