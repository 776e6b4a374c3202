import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchSamplesPerSecond } from './bench-site';
import { runEnergyReport, type EnergyPeriodPlan, type EnergyReportRunResult } from './energy-report';
import { replaceEnergySection } from './energy-report-section';
import { runLiveLatency, type LiveRunResult } from './live-latency';
import { readMachineInfo } from './machine-info';
import { runModbusPollRate, type ModbusRunOptions, type ModbusRunResult } from './modbus-poll-rate';
import { runRawInsert, type RawInsertResult } from './raw-insert';
import { loadWarning, renderEnergySection, renderReport, targetCommitSize } from './report';
import { formatCount, formatMs } from './stats';
import { runStoreThroughput, type StoreRunResult } from './store-throughput';
import { benchTargets } from './targets';

/**
 * `pnpm bench`: runs every benchmark, prints the figures and rewrites docs/benchmarks.md.
 * `--only store,live,modbus,energy` runs a subset and leaves the page alone, except that a subset with
 * `energy` rewrites the energy report section in place. `--no-write` never writes the page. A full
 * run took 70 to 100 s on the 2-core development machine without the energy section. That section
 * alone took 100 to 130 s there, with other jobs keeping the load average between 4 and 8.
 */

const sections = ['store', 'live', 'modbus', 'energy'] as const;
type Section = (typeof sections)[number];

const STORE_SAMPLES = 2_000_000;
const SMALL_COMMIT_SIZE = 1_000;
const LIVE_WARMUP_MS = 1_000;
const LIVE_MEASURE_MS = 5_000;
const modbusOptions: ModbusRunOptions = { rounds: 3, roundMs: 2_000, warmupMs: 1_000 };
/**
 * The month contains the 23-hour day of 29 March. The year is written at a 15 min cadence because two
 * years at 1 min would be 21 million samples, and the cadence changes how many samples each rollup
 * row sums, not how many rows the report reads.
 */
const energyPlans: EnergyPeriodPlan[] = [
  { period: 'month', date: '2026-03-15', cadenceMs: 60_000, runs: 20 },
  { period: 'year', date: '2025-06-15', cadenceMs: 900_000, runs: 10 },
];
const reportPath = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
/** The cloud hub's benchmark owns the page from this line on; this run keeps that part as it is. */
const CLOUD_SECTION_MARKER = '<!-- cloud hub section: written by cloud/bench/run.ts -->';

function cloudSection(): string {
  const current = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : '';
  const markerAt = current.indexOf(CLOUD_SECTION_MARKER);
  return markerAt === -1 ? '' : `\n${current.slice(markerAt)}`;
}

function parseSections(only: string | undefined): Section[] {
  if (only === undefined) return [...sections];
  const requested = only.split(',').map((name) => name.trim());
  const unknown = requested.filter((name) => !sections.includes(name as Section));
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')} in --only: expected ${sections.join(', ')}`);
  return requested as Section[];
}

const mark = (met: boolean) => (met ? 'target met' : 'TARGET MISSED');

function printStore(run: StoreRunResult): void {
  const target =
    run.commitSize === targetCommitSize
      ? `, ${mark(run.samplesPerSecond >= benchTargets.storedSamplesPerSecond)} (>= ${formatCount(benchTargets.storedSamplesPerSecond)})`
      : '';
  console.log(
    `  writer, commits of ${formatCount(run.commitSize)}: ${formatCount(run.samplesPerSecond)} samples/s${target}; ` +
      `add ${(run.addMs / 1000).toFixed(2)} s, commit ${(run.commitMs / 1000).toFixed(2)} s, ` +
      `commit p50/p99/max ${formatMs(run.commitP50Ms)}/${formatMs(run.commitP99Ms)}/${formatMs(run.commitMaxMs)} ms, ` +
      `${formatCount(run.rollupRowsWritten)} rollup rows`,
  );
}

function printRaw(run: RawInsertResult): void {
  console.log(`  raw insert, key ${run.keyOrder}, commits of ${formatCount(run.commitSize)}: ${formatCount(run.samplesPerSecond)} rows/s`);
}

function printLive(run: LiveRunResult): void {
  console.log(
    `  ${run.mode}, ${run.sliceMs} ms slices: p50 ${formatMs(run.p50Ms)} ms, p99 ${formatMs(run.p99Ms)} ms ` +
      `(${mark(run.p99Ms < benchTargets.liveP99Ms)}, < ${benchTargets.liveP99Ms} ms), max ${formatMs(run.maxMs)} ms; ` +
      `${formatCount(run.received)} of ${formatCount(run.published)} received, ${formatCount(run.coalesced)} coalesced; ` +
      `loop delay p99/max ${formatMs(run.loopDelayP99Ms)}/${formatMs(run.loopDelayMaxMs)} ms, ` +
      `${run.gcPauses} GC pauses up to ${formatMs(run.gcPauseMaxMs)} ms`,
  );
  for (const error of run.clientErrors) console.log(`    client: ${error}`);
}

function printEnergy(result: EnergyReportRunResult): void {
  for (const store of result.stores) {
    console.log(`  ${store.period}: wrote ${formatCount(store.samples)} samples in ${store.writeSeconds.toFixed(1)} s`);
  }
  for (const step of result.steps) {
    console.log(
      `  ${step.period} ${step.step}: median ${formatMs(step.medianMs)} ms, p95 ${formatMs(step.p95Ms)} ms over ${step.runs} runs, ` +
        `${formatCount(step.rowsRead)} rows, heap delta ${(step.heapDeltaBytes / 2 ** 20).toFixed(1)} MiB, ` +
        `peak RSS ${(step.peakRssBytes / 2 ** 20).toFixed(0)} MiB (growth ${(step.rssPeakDeltaBytes / 2 ** 20).toFixed(1)} MiB)`,
    );
  }
}

function printModbus(result: ModbusRunResult): void {
  console.log(`  modbus-serial alone: ${result.library.meanPollsPerSecond.toFixed(1)} polls/s (${result.library.requestsPerPoll} reads per poll)`);
  console.log(`  our driver:          ${result.driver.meanPollsPerSecond.toFixed(1)} polls/s (${result.driver.requestsPerPoll} reads per poll)`);
  console.log(`  ratio ${(result.ratio * 100).toFixed(0)} %, ${mark(result.ratio >= benchTargets.modbusRatio)} (>= ${benchTargets.modbusRatio * 100} %)`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, 'no-write': { type: 'boolean', default: false } } });
  const selected = parseSections(values.only);
  const started = performance.now();
  const tempFolder = mkdtempSync(join(tmpdir(), 'simtestlab-bench-'));
  const machine = readMachineInfo(tempFolder, new Date());
  console.log(
    `${machine.date}: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.nodeVersion}, ` +
      `temp files on ${machine.tempFileSystem}, load average ${machine.loadAverageAtStart.toFixed(2)}`,
  );

  const store: StoreRunResult[] = [];
  const raw: RawInsertResult[] = [];
  const live: LiveRunResult[] = [];
  let modbus: ModbusRunResult | undefined;
  let energy: EnergyReportRunResult | undefined;
  try {
    if (selected.includes('store')) {
      console.log(`store: ${formatCount(STORE_SAMPLES)} samples`);
      for (const commitSize of [targetCommitSize, SMALL_COMMIT_SIZE]) {
        store.push(runStoreThroughput({ sampleCount: STORE_SAMPLES, commitSize, tempFolder }));
        printStore(store.at(-1)!);
      }
      for (const [commitSize, keyOrder] of [
        [targetCommitSize, 'ts-first'],
        [SMALL_COMMIT_SIZE, 'ts-first'],
        [targetCommitSize, 'point-first'],
      ] as const) {
        raw.push(runRawInsert({ sampleCount: STORE_SAMPLES, commitSize, keyOrder, tempFolder }));
        printRaw(raw.at(-1)!);
      }
    }
    if (selected.includes('live')) {
      console.log(`live: ${formatCount(benchSamplesPerSecond)} samples/s for ${LIVE_MEASURE_MS / 1000} s after ${LIVE_WARMUP_MS / 1000} s warm-up`);
      for (const [mode, sliceMs] of [
        ['runtime', 10],
        ['runtime', 1],
        ['hub-only', 10],
      ] as const) {
        const options = { mode, sliceMs, samplesPerSecond: benchSamplesPerSecond, warmupMs: LIVE_WARMUP_MS, measureMs: LIVE_MEASURE_MS, tempFolder };
        live.push(await runLiveLatency(options));
        printLive(live.at(-1)!);
      }
    }
    if (selected.includes('modbus')) {
      console.log(`modbus: 1,000 holding registers, ${modbusOptions.rounds} rounds of ${modbusOptions.roundMs / 1000} s per client`);
      modbus = await runModbusPollRate(modbusOptions);
      printModbus(modbus);
    }
    if (selected.includes('energy')) {
      console.log('energy: 20 meter points in Europe/Paris, month and year reports');
      energy = await runEnergyReport({ plans: energyPlans, tempFolder });
      printEnergy(energy);
    }
  } finally {
    rmSync(tempFolder, { recursive: true, force: true });
  }

  const totalSeconds = (performance.now() - started) / 1000;
  const loadAverageAtEnd = loadavg()[0]!;
  console.log(`done in ${totalSeconds.toFixed(0)} s, load average ${loadAverageAtEnd.toFixed(2)}`);
  const warning = loadWarning(machine, loadAverageAtEnd);
  if (warning) console.log(warning.replaceAll('**', ''));

  if (values['no-write']) return;
  if (!modbus || !energy || selected.length < sections.length) {
    if (energy) {
      const page = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : '';
      writeFileSync(reportPath, replaceEnergySection(page, renderEnergySection(energy, machine, loadAverageAtEnd), CLOUD_SECTION_MARKER));
      console.log(`rewrote the energy report section of ${reportPath}`);
      return;
    }
    console.log(`not rewriting ${reportPath}: only part of the benchmarks ran`);
    return;
  }
  const report = renderReport({
    machine,
    loadAverageAtEnd,
    totalSeconds,
    store,
    raw,
    live,
    liveWarmupMs: LIVE_WARMUP_MS,
    liveMeasureMs: LIVE_MEASURE_MS,
    liveSamplesPerSecond: benchSamplesPerSecond,
    modbus,
    modbusOptions,
    energy,
  });
  writeFileSync(reportPath, report + cloudSection());
  console.log(`wrote ${reportPath}`);
}

await main();
