import { readFileSync } from 'node:fs';
import { benchPointCount, benchSamplesPerSecond, benchSite } from './bench-site';
import type { EnergyReportRunResult } from './energy-report';
import { energySectionValues, sliceEnergySection } from './energy-report-section';
import type { LiveRunResult } from './live-latency';
import type { MachineInfo } from './machine-info';
import type { ModbusClientFigures, ModbusRunOptions, ModbusRunResult } from './modbus-poll-rate';
import type { RawInsertResult } from './raw-insert';
import { formatCount, formatMs } from './stats';
import type { StoreRunResult } from './store-throughput';
import { benchTargets } from './targets';

/** Everything one full run measured, as rendered into docs/benchmarks.md. */
export interface BenchResults {
  machine: MachineInfo;
  loadAverageAtEnd: number;
  totalSeconds: number;
  store: StoreRunResult[];
  raw: RawInsertResult[];
  live: LiveRunResult[];
  liveWarmupMs: number;
  liveMeasureMs: number;
  liveSamplesPerSecond: number;
  modbus: ModbusRunResult;
  modbusOptions: ModbusRunOptions;
  energy: EnergyReportRunResult;
}

/** The commit size the store target applies to: one second of samples at the site's rate. */
export const targetCommitSize = benchSamplesPerSecond;

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function verdict(met: boolean): string {
  return met ? 'met' : 'missed';
}

function machineTable(machine: MachineInfo, loadAverageAtEnd: number): string {
  return table(
    ['Fact', 'Value'],
    [
      ['Date (UTC)', machine.date],
      ['CPUs (`nproc`)', String(machine.cpus)],
      ['CPU model', machine.cpuModel],
      ['Memory', `${machine.memoryGiB} GiB`],
      ['Node', machine.nodeVersion],
      ['File system of the SQLite files', machine.tempFileSystem],
      ['Load average (1 min) at start / end', `${machine.loadAverageAtStart.toFixed(2)} / ${loadAverageAtEnd.toFixed(2)}`],
    ],
  );
}

/**
 * Returns a warning paragraph when other work shared the machine, or an empty string. The bench
 * keeps up to two threads busy itself, so the load at the end may exceed the CPU count a little.
 */
export function loadWarning(machine: MachineInfo, loadAverageAtEnd: number): string {
  const busyAtStart = machine.loadAverageAtStart > machine.cpus / 2;
  const busyAtEnd = loadAverageAtEnd > machine.cpus * 1.25;
  if (!busyAtStart && !busyAtEnd) return '';
  return (
    `**Note:** the 1 min load average was ${machine.loadAverageAtStart.toFixed(2)} at the start and ` +
    `${loadAverageAtEnd.toFixed(2)} at the end on ${machine.cpus} CPUs, so other processes shared the machine ` +
    'and the figures, the latency tails above all, are worse than on an idle machine.'
  );
}

function storeTable(runs: readonly StoreRunResult[]): string {
  return table(
    ['Commit size', 'Samples', 'Site time', 'Samples/s', '`add` s', '`commit` s', 'Commit p50 / p99 / max ms', 'Rollup rows written', 'Target'],
    runs.map((run) => [
      formatCount(run.commitSize),
      formatCount(run.samples),
      `${run.siteSeconds.toFixed(0)} s`,
      formatCount(run.samplesPerSecond),
      (run.addMs / 1000).toFixed(2),
      (run.commitMs / 1000).toFixed(2),
      `${formatMs(run.commitP50Ms)} / ${formatMs(run.commitP99Ms)} / ${formatMs(run.commitMaxMs)}`,
      formatCount(run.rollupRowsWritten),
      run.commitSize === targetCommitSize ? verdict(run.samplesPerSecond >= benchTargets.storedSamplesPerSecond) : 'n/a',
    ]),
  );
}

function rawTable(runs: readonly RawInsertResult[], store: readonly StoreRunResult[]): string {
  return table(
    ['Key', 'Commit size', 'Rows', 'Rows/s', 'Writer with rollups, share of this rate'],
    runs.map((run) => {
      const writer = run.keyOrder === 'ts-first' ? store.find((entry) => entry.commitSize === run.commitSize) : undefined;
      return [
        run.keyOrder === 'ts-first' ? '`(ts, point_id)`' : '`(point_id, ts)`',
        formatCount(run.commitSize),
        formatCount(run.samples),
        formatCount(run.samplesPerSecond),
        writer ? `${Math.round((writer.samplesPerSecond / run.samplesPerSecond) * 100)} %` : 'n/a',
      ];
    }),
  );
}

function liveTable(runs: readonly LiveRunResult[]): string {
  return table(
    ['Feed', 'Slice', 'Published', 'Received', 'Coalesced', 'Frames', 'p50 ms', 'p99 ms', 'Max ms', 'Loop delay p99 / max ms', 'GC pauses, max ms', 'Target'],
    runs.map((run) => [
      run.mode,
      `${run.sliceMs} ms`,
      formatCount(run.published),
      formatCount(run.received),
      formatCount(run.coalesced),
      formatCount(run.frames),
      formatMs(run.p50Ms),
      formatMs(run.p99Ms),
      formatMs(run.maxMs),
      `${formatMs(run.loopDelayP99Ms)} / ${formatMs(run.loopDelayMaxMs)}`,
      `${run.gcPauses}, ${formatMs(run.gcPauseMaxMs)}`,
      verdict(run.p99Ms < benchTargets.liveP99Ms),
    ]),
  );
}

function modbusTable(result: ModbusRunResult): string {
  const row = (name: string, figures: ModbusClientFigures, target: string) => [
    name,
    figures.pollsPerSecond.map((rate) => rate.toFixed(0)).join(', '),
    figures.meanPollsPerSecond.toFixed(1),
    formatCount(figures.meanPollsPerSecond * result.registers),
    figures.requestsPerPoll.toFixed(1),
    target,
  ];
  return table(
    ['Client', 'Polls/s per round', 'Mean polls/s', 'Registers/s', 'Reads per poll', 'Share of library'],
    [
      row('modbus-serial alone', result.library, '100 %'),
      row('our driver', result.driver, `${(result.ratio * 100).toFixed(0)} % (${verdict(result.ratio >= benchTargets.modbusRatio)})`),
    ],
  );
}

/** Fills `{{name}}` placeholders and throws on a placeholder without a value. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`benchmarks template: no value for placeholder {{${name}}}`);
    return value;
  });
}

function readTemplate(): string {
  return readFileSync(new URL('./benchmarks-template.md', import.meta.url), 'utf8');
}

/** Renders the energy report section of the template, marker lines included, for a run of that section alone. */
export function renderEnergySection(energy: EnergyReportRunResult, machine: MachineInfo, loadAverageAtEnd: number): string {
  const section = sliceEnergySection(readTemplate());
  if (section === undefined) throw new Error('benchmarks template: the energy report section markers are missing');
  return fill(section, energySectionValues(energy, machine, loadAverageAtEnd));
}

/** Renders docs/benchmarks.md from benchmarks-template.md and the results of a full run. */
export function renderReport(results: BenchResults): string {
  const template = readTemplate();
  const rendered = fill(template, {
    totalSeconds: results.totalSeconds.toFixed(0),
    machine: machineTable(results.machine, results.loadAverageAtEnd),
    loadWarning: loadWarning(results.machine, results.loadAverageAtEnd),
    pointCount: formatCount(benchPointCount),
    counterShare: `${100 / benchSite.counterEvery} %`,
    pollIntervalMs: String(benchSite.pollIntervalMs),
    siteRate: formatCount(benchSamplesPerSecond),
    storeTarget: formatCount(benchTargets.storedSamplesPerSecond),
    storeTable: storeTable(results.store),
    rawTable: rawTable(results.raw, results.store),
    liveRate: formatCount(results.liveSamplesPerSecond),
    liveWarmupS: String(results.liveWarmupMs / 1000),
    liveMeasureS: String(results.liveMeasureMs / 1000),
    liveTarget: String(benchTargets.liveP99Ms),
    liveTable: liveTable(results.live),
    modbusRounds: String(results.modbusOptions.rounds),
    modbusRoundS: String(results.modbusOptions.roundMs / 1000),
    modbusTarget: `${benchTargets.modbusRatio * 100} %`,
    modbusTable: modbusTable(results.modbus),
    ...energySectionValues(results.energy, results.machine, results.loadAverageAtEnd),
  });
  // An empty load warning leaves two blank lines behind.
  return rendered.replace(/\n{3,}/g, '\n\n');
}
