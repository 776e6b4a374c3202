import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Worker } from 'node:worker_threads';
import { computeEnergyReport, energyReportSchema, periodRangeFromQuery, previousPeriod, reportPointIds, type PeriodRange, type ReportMeterInput } from '@simtestlab/sync';
import { createEdgeAuth } from '../src/auth/edge-auth';
import { loadEdgeTokenKey } from '../src/auth/edge-token-key';
import { saveLocalAccount } from '../src/auth/local-accounts';
import { hashPassword } from '../src/auth/passwords';
import { startHttpServer } from '../src/api/server';
import { EnergySettingsReader } from '../src/energy/energy-settings-reader';
import { loadDemandMeters, loadReportMeters, siteMeterPoints, type ReportPoint } from '../src/energy/report-meters';
import { createSilentLogger } from '../src/logger';
import { EdgeRuntime } from '../src/runtime/edge-runtime';
import { nextMessage, startTsWorker } from '../src/runtime/ts-worker';
import { readSiteHierarchy } from '../src/sync/site-hierarchy';
import { energyBenchConfig, energyBenchPointCount, energyBenchReadings, syncEnergyBenchHierarchy } from './energy-bench-site';
import type { RssSamplerPeak } from './rss-sampler-worker';
import { quantile } from './stats';

/** One stored period of the benchmark: the report period it serves, its date and the cadence it is written at. */
export interface EnergyPeriodPlan {
  period: 'month' | 'year';
  /** The `date` query parameter, a local day inside the period. */
  date: string;
  /** Sample cadence of every point, in ms. */
  cadenceMs: number;
  runs: number;
}

export interface EnergyReportRunOptions {
  plans: readonly EnergyPeriodPlan[];
  tempFolder: string;
}

/** Figures of writing one store. */
export interface EnergyStoreFigures {
  period: EnergyPeriodPlan['period'];
  cadenceMs: number;
  /** First sample (UTC) and end of the written span: the report period and the previous one. */
  from: number;
  to: number;
  samples: number;
  writeSeconds: number;
}

export type EnergyStep = 'load' | 'compute' | 'http';

/** Timings of one step over its runs, with the rollup rows it reads and its memory growth. */
export interface EnergyStepFigures {
  period: EnergyPeriodPlan['period'];
  step: EnergyStep;
  runs: number;
  medianMs: number;
  p95Ms: number;
  rowsRead: number;
  /** Largest growth of the V8 heap over one run, measured from a collected heap, in bytes. */
  heapDeltaBytes: number;
  /** Highest RSS of the process during the runs, in bytes, including memory it held before them. */
  peakRssBytes: number;
  /** Highest RSS during the runs above the RSS before the first run, in bytes. */
  rssPeakDeltaBytes: number;
  /** Size of the JSON body, for the HTTP step. */
  responseBytes?: number;
}

export interface EnergyReportRunResult {
  stores: EnergyStoreFigures[];
  steps: EnergyStepFigures[];
}

const PASSWORD = 'energy bench password';
/** Samples per commit while writing a store: 500 rounds of the 20 points. */
const COMMIT_SAMPLES = 10_000;

/** Measuring tools of `measure`: the RSS sampler thread and V8's `gc()`. */
interface StepMeter {
  sampler: Worker;
  collectGarbage: () => void;
}

/** Exposes V8's `gc()` and returns it. A context created after the flag is set has `gc` as a global. */
function exposeGarbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Writes the period of `range` and the previous period through `EdgeRuntime.ingest`, in time order. */
async function writeStore(runtime: EdgeRuntime, plan: EnergyPeriodPlan, range: PeriodRange): Promise<EnergyStoreFigures> {
  const from = previousPeriod(range).start;
  const devices = runtime.config.devices;
  const started = performance.now();
  let samples = 0;
  let sinceCommit = 0;
  for (let ts = from, step = 0; ts < range.end; ts += plan.cadenceMs, step++) {
    devices.forEach((device, index) => runtime.ingest(device, ts, energyBenchReadings(index, ts, step, plan.cadenceMs), false));
    samples += energyBenchPointCount;
    sinceCommit += energyBenchPointCount;
    if (sinceCommit >= COMMIT_SAMPLES) {
      await runtime.commit();
      sinceCommit = 0;
    }
  }
  await runtime.commit();
  return { period: plan.period, cadenceMs: plan.cadenceMs, from, to: range.end, samples, writeSeconds: (performance.now() - started) / 1000 };
}

/** Selects the points a report reads, as `buildSiteEnergyReport` does. */
function reportPoints(runtime: EdgeRuntime, settings: Parameters<typeof reportPointIds>[1]): ReportPoint[] {
  const devices = runtime.config.devices;
  const candidates = siteMeterPoints(devices, runtime.registry);
  const neededIds = reportPointIds(
    candidates.map(({ point, role }) => ({ id: point.key, role })),
    settings,
  );
  const hierarchy = readSiteHierarchy(
    runtime.db,
    devices.map((device) => device.key),
  );
  return candidates
    .filter(({ point }) => neededIds.has(point.key))
    .map((candidate) => ({ ...candidate, nodeId: hierarchy.deviceNodes.get(candidate.point.deviceKey) ?? null }));
}

const countRows = (meters: readonly ReportMeterInput[]) => meters.reduce((sum, meter) => sum + meter.rows.length, 0);

/** Measures `runs` calls of `run` after one warm-up call, with the RSS sampler running. */
async function measure(
  { sampler, collectGarbage }: StepMeter,
  runs: number,
  run: () => unknown,
): Promise<Pick<EnergyStepFigures, 'runs' | 'medianMs' | 'p95Ms' | 'heapDeltaBytes' | 'peakRssBytes' | 'rssPeakDeltaBytes'>> {
  await run();
  collectGarbage();
  const rssBefore = process.memoryUsage.rss();
  sampler.postMessage({ type: 'start' });
  const durations: number[] = [];
  let heapDeltaBytes = 0;
  for (let index = 0; index < runs; index++) {
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    await run();
    durations.push(performance.now() - started);
    heapDeltaBytes = Math.max(heapDeltaBytes, process.memoryUsage().heapUsed - heapBefore);
  }
  const peakReply = nextMessage(sampler, (message): message is RssSamplerPeak => (message as RssSamplerPeak).type === 'peak', 10_000, 'the RSS sampler');
  sampler.postMessage({ type: 'stop' });
  const { peakRssBytes } = await peakReply;
  return {
    runs,
    medianMs: quantile(durations, 0.5),
    p95Ms: quantile(durations, 0.95),
    heapDeltaBytes,
    peakRssBytes,
    rssPeakDeltaBytes: Math.max(0, peakRssBytes - rssBefore),
  };
}

/** Writes one store, then measures the loader, the report computation and the HTTP request on it. */
async function runPeriod(plan: EnergyPeriodPlan, folder: string, meter: StepMeter): Promise<{ store: EnergyStoreFigures; steps: EnergyStepFigures[] }> {
  mkdirSync(folder);
  const logger = createSilentLogger();
  const config = energyBenchConfig(plan.cadenceMs);
  const runtime = new EdgeRuntime({ config, databasePath: join(folder, 'edge.db'), logger, startPollers: false });
  await runtime.start();
  try {
    syncEnergyBenchHierarchy(runtime, logger);
    const range = periodRangeFromQuery({ period: plan.period, date: plan.date }, config.site.timeZone);
    const previous = previousPeriod(range);
    const store = await writeStore(runtime, plan, range);

    const active = new EnergySettingsReader({ db: runtime.db, fileEnergy: config.energy, logger }).current();
    const points = reportPoints(runtime, active.settings);
    if (points.length !== energyBenchPointCount) throw new Error(`the report selected ${points.length} points, expected ${energyBenchPointCount}: check the roles in energyBenchConfig`);
    const meters = loadReportMeters(runtime.history, points, range);
    const previousMeters = loadReportMeters(runtime.history, points, previous);
    // A year also reads the 15-minute rows of the grid import points, for its monthly peaks.
    const demandMeters = loadDemandMeters(runtime.history, points, range);
    const previousDemandMeters = loadDemandMeters(runtime.history, points, previous);
    const hierarchy = readSiteHierarchy(
      runtime.db,
      config.devices.map((device) => device.key),
    );
    const reportInput = {
      site: { id: config.site.id, name: config.site.name, timeZone: config.site.timeZone },
      currency: active.currency,
      settings: active.settings,
      nodes: hierarchy.nodes,
      meters,
      demandMeters,
      range,
      previous: { range: previous, meters: previousMeters, demandMeters: previousDemandMeters },
    };
    const report = computeEnergyReport(reportInput);
    if (!(report.totals.gridImportWh > 0) || report.cost === undefined || report.cost === null) {
      throw new Error(`the ${plan.period} report has no grid import or no cost: check the bench site's roles and tariff`);
    }
    const rowsRead = countRows(meters) + countRows(previousMeters) + countRows(demandMeters ?? []) + countRows(previousDemandMeters ?? []);

    const steps: EnergyStepFigures[] = [];
    const load = await measure(meter, plan.runs, () => loadReportMeters(runtime.history, points, range));
    steps.push({ period: plan.period, step: 'load', rowsRead: countRows(meters), ...load });
    const compute = await measure(meter, plan.runs, () => computeEnergyReport(reportInput));
    steps.push({ period: plan.period, step: 'compute', rowsRead, ...compute });
    steps.push({ period: plan.period, step: 'http', rowsRead, ...(await measureHttp(runtime, folder, plan, meter)) });
    return { store, steps };
  } finally {
    await runtime.stop();
  }
}

/** Measures `GET /api/energy/report` over a real HTTP server on 127.0.0.1, logged in as a local admin. */
async function measureHttp(
  runtime: EdgeRuntime,
  folder: string,
  plan: EnergyPeriodPlan,
  meter: StepMeter,
): Promise<Omit<EnergyStepFigures, 'period' | 'step' | 'rowsRead'>> {
  const logger = createSilentLogger();
  const auth = createEdgeAuth({ db: runtime.db, tokenKey: loadEdgeTokenKey(folder), logger });
  saveLocalAccount(runtime.db, { username: 'bench', passwordHash: await hashPassword(PASSWORD), replace: false });
  const login = await auth.login('bench', PASSWORD, '127.0.0.1');
  if (!login.ok) throw new Error(`login of the bench admin failed: ${login.reason}`);
  const server = await startHttpServer(runtime, logger, { host: '127.0.0.1', port: 0, auth });
  try {
    const url = `${server.url}/api/energy/report?period=${plan.period}&date=${plan.date}`;
    const headers = { Authorization: `Bearer ${login.token}` };
    let lastBody = '';
    const request = async () => {
      const response = await fetch(url, { headers });
      lastBody = await response.text();
      if (response.status !== 200) throw new Error(`GET ${url} returned ${response.status}: ${lastBody}`);
    };
    await request();
    const report = energyReportSchema.parse(JSON.parse(lastBody));
    if (report.period.kind !== plan.period) throw new Error(`GET ${url} returned a ${report.period.kind} report`);
    const withRoles = report.meters.filter((meter) => meter.role !== null).length;
    if (withRoles !== energyBenchPointCount) throw new Error(`GET ${url} returned ${withRoles} meters with a role, expected ${energyBenchPointCount}`);
    return { ...(await measure(meter, plan.runs, request)), responseBytes: Buffer.byteLength(lastBody) };
  } finally {
    await server.close();
  }
}

/**
 * Runs the energy report benchmark: for each plan, a fresh SQLite store with the period and the
 * previous one written at the plan's cadence, then the three measured steps.
 */
export async function runEnergyReport(options: EnergyReportRunOptions): Promise<EnergyReportRunResult> {
  const sampler = startTsWorker(new URL('./rss-sampler-worker.ts', import.meta.url), undefined);
  const meter: StepMeter = { sampler, collectGarbage: exposeGarbageCollector() };
  const result: EnergyReportRunResult = { stores: [], steps: [] };
  try {
    for (const plan of options.plans) {
      const { store, steps } = await runPeriod(plan, join(options.tempFolder, `energy-${plan.period}`), meter);
      result.stores.push(store);
      result.steps.push(...steps);
    }
  } finally {
    sampler.postMessage({ type: 'exit' });
  }
  return result;
}
