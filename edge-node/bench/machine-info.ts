import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

/** The machine a benchmark ran on, as printed next to its figures. */
export interface MachineInfo {
  /** Output of `nproc`: the CPUs this process may use. */
  cpus: number;
  /** `model name` of the first CPU in /proc/cpuinfo. */
  cpuModel: string;
  memoryGiB: number;
  nodeVersion: string;
  /** File system type of the folder the SQLite benchmarks write to (`stat -f`). */
  tempFileSystem: string;
  /** When the run started, ISO 8601 UTC. */
  date: string;
  /** 1 min load average when the run started: other work on the machine skews the figures. */
  loadAverageAtStart: number;
}

function readCpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown (no "model name" in /proc/cpuinfo)';
  } catch (error) {
    return `unknown (/proc/cpuinfo unreadable: ${(error as Error).message})`;
  }
}

function readCpuCount(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // Without coreutils' nproc, the runtime's own count gives the same figure.
    return availableParallelism();
  }
}

function readFileSystemType(folder: string): string {
  try {
    return execFileSync('stat', ['-f', '-c', '%T', folder], { encoding: 'utf8' }).trim();
  } catch (error) {
    return `unknown (stat -f failed: ${(error as Error).message})`;
  }
}

/** Collects the machine facts: CPU count and model, memory, Node version, temp file system and load. */
export function readMachineInfo(tempFolder: string, startedAt: Date): MachineInfo {
  return {
    cpus: readCpuCount(),
    cpuModel: readCpuModel(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    nodeVersion: process.version,
    tempFileSystem: readFileSystemType(tempFolder),
    date: startedAt.toISOString(),
    loadAverageAtStart: loadavg()[0]!,
  };
}
