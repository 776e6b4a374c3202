import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const edgeNodeDir = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(edgeNodeDir, 'bin', 'edge-node.mjs');

/** An `edge-node start` child process in setup mode, with what its banner printed. */
export interface SetupProcess {
  child: ChildProcess;
  /** Origin of the server, such as `http://127.0.0.1:40123`. */
  url: string;
  /** The code as printed, `1234-5678`. */
  printedCode: string;
  /** Every stdout line so far. */
  stdout: string[];
  stop(): Promise<void>;
}

/**
 * Starts `edge-node start --config <configPath> --data <dataDir> --port 0` and waits up to 20 s for
 * the setup banner's code and URL. Rejects with the output when the process exits or prints no banner.
 */
export async function startSetupProcess(configPath: string, dataDir: string): Promise<SetupProcess> {
  const child = spawn(process.execPath, [bin, 'start', '--config', configPath, '--data', dataDir, '--host', '127.0.0.1', '--port', '0'], {
    cwd: edgeNodeDir,
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });

  const banner = new Promise<{ url: string; printedCode: string }>((resolve, reject) => {
    let printedCode: string | undefined;
    const timer = setTimeout(() => reject(new Error(`no setup banner within 20 s; stdout:\n${stdout.join('\n')}\nstderr:\n${stderr}`)), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`edge-node exited with ${code} before the setup banner; stdout:\n${stdout.join('\n')}\nstderr:\n${stderr}`));
    });
    lines.on('line', (line) => {
      stdout.push(line);
      printedCode ??= line.match(/^\s+Setup code: (\d{4}-\d{4})$/)?.[1];
      const url = line.match(/^\s+(http:\/\/127\.0\.0\.1:\d+)\/setup$/)?.[1];
      if (url !== undefined && printedCode !== undefined) {
        clearTimeout(timer);
        resolve({ url, printedCode });
      }
    });
  });
  let started;
  try {
    started = await banner;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    ...started,
    stdout,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Sends a JSON request and returns the status, headers and parsed body. */
export async function requestJson(
  url: string,
  method: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}

/** Polls `check` every 200 ms until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
