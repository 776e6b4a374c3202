import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Default command that restarts the edge node after `current` changed. */
export const DEFAULT_RESTART_COMMAND = 'systemctl restart simtestlab-edge.service';

/** Default command that stops the edge node before a rollback restores its database. */
export const DEFAULT_STOP_COMMAND = 'systemctl stop simtestlab-edge.service';

/** Maximum time a service command may run. */
const SERVICE_COMMAND_TIMEOUT_MS = 120_000;

/** Runs a service command with /bin/sh; returns null on success or a description of the failure. */
export async function runServiceCommand(command: string): Promise<string | null> {
  try {
    await execFileAsync('/bin/sh', ['-c', command], { timeout: SERVICE_COMMAND_TIMEOUT_MS });
    return null;
  } catch (error) {
    const failure = error as Error & { stderr?: string };
    return `command "${command}" failed: ${(failure.stderr ?? '').trim() || failure.message}`;
  }
}
