import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/*
 * Child processes of the end-to-end stack. Each one leads its own process group, so stopping it also
 * ends whatever it spawned. An exit hook and SIGINT and SIGTERM handlers kill every group still
 * running, so a test run that ends without calling `stop` leaves nothing behind, unless SIGKILL ended it.
 */

/** Lines of output kept per process for error messages. */
const KEPT_LINES = 200;

/** Time a process gets after SIGTERM before it gets SIGKILL, in ms. */
const TERM_GRACE_MS = 12_000;

const running = new Set<ManagedProcess>();

function killAll(): void {
  for (const managed of running) managed.killGroupNow();
}

process.once('exit', killAll);
// Exit hooks do not run when a signal ends the process, so kill the groups, then let the signal act as it would have.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/** How to start a managed process. */
export interface ProcessSpec {
  /** Name used in logs and errors, such as `hub` or `simulator sdm630`. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Text written to standard input, which is then closed. */
  input?: string;
}

/** A child process started in its own process group, with its recent output kept. */
export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly exited: Promise<void>;

  private constructor(spec: ProcessSpec) {
    this.name = spec.name;
    this.child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: [spec.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (spec.input !== undefined) this.child.stdin!.end(spec.input);
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.addLine(line));
    }
    this.exited = once(this.child, 'exit').then(() => {
      running.delete(this);
    });
    this.child.once('error', (error) => this.addLine(`failed to start: ${error.message}`));
    running.add(this);
  }

  /** Starts `spec` as the leader of a new process group. */
  static start(spec: ProcessSpec): ManagedProcess {
    return new ManagedProcess(spec);
  }

  /** Whether the process has exited. */
  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** How the process ended, for messages; null while it runs. */
  get exitDescription(): string | null {
    if (this.child.exitCode !== null) return `exited with code ${this.child.exitCode}`;
    if (this.child.signalCode !== null) return `was ended by ${this.child.signalCode}`;
    return null;
  }

  /** Returns the last `count` lines of standard output and standard error, interleaved as they arrived. */
  lastLines(count = 30): string[] {
    return this.lines.slice(-count);
  }

  /** Calls `listener` with each later line of output; returns a function that removes it. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Resolves once the process has exited, with its exit code (null when a signal ended it). */
  async waitForExit(): Promise<number | null> {
    await this.exited;
    return this.child.exitCode;
  }

  /** Sends SIGTERM to the process group, then SIGKILL after `graceMs`, and resolves once the leader exited. */
  async stop(graceMs = TERM_GRACE_MS): Promise<void> {
    if (this.hasExited) {
      this.signalGroup('SIGKILL');
      return;
    }
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    // Grandchildren that ignored SIGTERM still belong to the group.
    this.signalGroup('SIGKILL');
  }

  /** Sends SIGKILL to the process group at once, as a crash or power cut would end it. */
  async kill(): Promise<void> {
    this.signalGroup('SIGKILL');
    await this.exited;
  }

  /** Sends SIGKILL to the group without waiting; used by the exit hook, where nothing asynchronous runs. */
  killGroupNow(): void {
    this.signalGroup('SIGKILL');
  }

  /** Describes the process and its last output lines, for error messages. */
  describe(count = 30): string {
    const state = this.exitDescription ?? `is running as pid ${this.child.pid}`;
    const output = this.lastLines(count);
    return `${this.name} ${state}; last ${output.length} output lines:\n${output.join('\n')}`;
  }

  private addLine(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    for (const listener of this.lineListeners) listener(line);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch (error) {
      // ESRCH: the group has no process left, which is the goal.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/** Runs `spec` to its end and returns its output; throws naming the process and its output when it fails or times out. */
export async function runToEnd(spec: ProcessSpec, timeoutMs: number): Promise<string> {
  const managed = ManagedProcess.start(spec);
  const timer = setTimeout(() => managed.killGroupNow(), timeoutMs);
  const code = await managed.waitForExit();
  clearTimeout(timer);
  if (code !== 0) {
    const reason = code === null ? `did not finish within ${timeoutMs} ms` : `failed`;
    throw new Error(`${spec.name} ${reason}: ${managed.describe()}`);
  }
  return managed.lastLines(KEPT_LINES).join('\n');
}
