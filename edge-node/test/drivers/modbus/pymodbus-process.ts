import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./pymodbus_server.py', import.meta.url));
/** Debian's python3-pymodbus installs into the system interpreter only. */
const python = '/usr/bin/python3';

/** Register tables of one unit: 0-based protocol address to value. */
export interface UnitImage {
  hr?: Record<number, number>;
  ir?: Record<number, number>;
  co?: Record<number, boolean>;
  di?: Record<number, boolean>;
}

export interface PymodbusServer {
  /** TCP port, for a TCP server. */
  port: number | undefined;
  process: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts pymodbus_server.py and waits for its READY line. Fails with a message naming pymodbus when
 * the interpreter or the package is missing, so a missing service never passes silently.
 */
export function startPymodbus(
  config: { transport: 'tcp' } | { transport: 'rtu'; serial: string; baudrate: number },
  units: Record<number, UnitImage>,
  startTimeoutMs = 10_000,
): Promise<PymodbusServer> {
  const child = spawn(python, [script, JSON.stringify({ ...config, units })], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise<PymodbusServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`pymodbus server did not start within ${startTimeoutMs} ms; stderr: ${stderr}`));
    }, startTimeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${python} for the pymodbus server (install python3-pymodbus): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pymodbus server exited with code ${code} before it was ready (is python3-pymodbus installed?): ${stderr}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /READY(?: (\d+))?/.exec(stdout);
      if (!ready) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ port: ready[1] === undefined ? undefined : Number(ready[1]), process: child, stderr: () => stderr, stop });
    });
  });
}
