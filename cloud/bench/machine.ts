import { cpus, loadavg, totalmem } from 'node:os';

/** The machine and the load around one group of benchmarks. */
export interface BenchMachine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  nodeVersion: string;
  /** Start of the group, ISO 8601 UTC. */
  date: string;
  loadAverageAtStart: number;
  loadAverageAtEnd: number;
  totalSeconds: number;
}

/** Notes the start time and the 1 min load average now; the returned function completes the record at the end. */
export function startMachineRecord(): () => BenchMachine {
  const date = new Date().toISOString();
  const loadAverageAtStart = loadavg()[0]!;
  const started = performance.now();
  return () => ({
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    nodeVersion: process.version,
    date,
    loadAverageAtStart,
    loadAverageAtEnd: loadavg()[0]!,
    totalSeconds: (performance.now() - started) / 1000,
  });
}

/** Renders the machine paragraph of a section of docs/benchmarks.md. */
export function machineLines(machine: BenchMachine): string[] {
  return [
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.nodeVersion}, run ${machine.date},`,
    `load average ${machine.loadAverageAtStart.toFixed(2)} at the start and ${machine.loadAverageAtEnd.toFixed(2)} at the end; these benchmarks took ${machine.totalSeconds.toFixed(0)} s.`,
  ];
}
