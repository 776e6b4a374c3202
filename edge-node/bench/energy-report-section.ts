import type { EnergyReportRunResult, EnergyStep } from './energy-report';
import type { MachineInfo } from './machine-info';
import { formatCount, formatMs } from './stats';

/**
 * The energy report part of docs/benchmarks.md lies between these two lines, in the template and on
 * the page, so a run of that section alone can replace it in place.
 */
export const ENERGY_SECTION_START = '<!-- energy report section: written by `pnpm bench --only energy` or a full run -->';
export const ENERGY_SECTION_END = '<!-- end of the energy report section -->';

const MIB = 1024 * 1024;

const stepNames: Record<EnergyStep, string> = {
  load: '`loadReportMeters`, period only',
  compute: '`computeEnergyReport`, period and previous',
  http: '`GET /api/energy/report` over HTTP',
};

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function formatUtc(ts: number): string {
  return new Date(ts).toISOString().slice(0, 16).replace('T', ' ');
}

function cadence(cadenceMs: number): string {
  return cadenceMs % 60_000 === 0 ? `${cadenceMs / 60_000} min` : `${cadenceMs / 1000} s`;
}

function storeTable(result: EnergyReportRunResult): string {
  return table(
    ['Report', 'Written span (UTC)', 'Cadence', 'Samples', 'Write s', 'Samples/s'],
    result.stores.map((store) => [
      store.period,
      `${formatUtc(store.from)} to ${formatUtc(store.to)}`,
      cadence(store.cadenceMs),
      formatCount(store.samples),
      store.writeSeconds.toFixed(1),
      formatCount(store.samples / store.writeSeconds),
    ]),
  );
}

function stepTable(result: EnergyReportRunResult): string {
  return table(
    ['Report', 'Step', 'Runs', 'Median ms', 'p95 ms', 'Rollup rows read', 'Heap delta MiB', 'Peak RSS (growth) MiB', 'Response KiB'],
    result.steps.map((step) => [
      step.period,
      stepNames[step.step],
      String(step.runs),
      formatMs(step.medianMs),
      formatMs(step.p95Ms),
      formatCount(step.rowsRead),
      (step.heapDeltaBytes / MIB).toFixed(1),
      `${(step.peakRssBytes / MIB).toFixed(0)} (${(step.rssPeakDeltaBytes / MIB).toFixed(1)})`,
      step.responseBytes === undefined ? 'n/a' : formatCount(step.responseBytes / 1024),
    ]),
  );
}

/** Values of the energy section's `{{name}}` placeholders, with the date and load of the run that measured it. */
export function energySectionValues(result: EnergyReportRunResult, machine: MachineInfo, loadAverageAtEnd: number): Record<string, string> {
  return {
    energyMeasuredAt: machine.date,
    energyLoad: `${machine.loadAverageAtStart.toFixed(2)} at the start and ${loadAverageAtEnd.toFixed(2)} at the end on ${machine.cpus} CPUs`,
    energyStoreTable: storeTable(result),
    energyStepTable: stepTable(result),
  };
}

/** Returns the energy section of `text` with its two marker lines, or undefined when a marker is missing. */
export function sliceEnergySection(text: string): string | undefined {
  const start = text.indexOf(ENERGY_SECTION_START);
  const end = text.indexOf(ENERGY_SECTION_END);
  if (start === -1 || end < start) return undefined;
  return text.slice(start, end + ENERGY_SECTION_END.length);
}

/**
 * Replaces the energy section of `page` with `section`. A page without the section gets it before
 * `insertBefore` (the cloud hub's part), or at its end when that marker is missing too.
 */
export function replaceEnergySection(page: string, section: string, insertBefore: string): string {
  const current = sliceEnergySection(page);
  if (current !== undefined) return page.replace(current, () => section);
  const at = page.indexOf(insertBefore);
  if (at === -1) return `${page.trimEnd()}\n\n${section}\n`;
  return `${page.slice(0, at)}${section}\n\n${page.slice(at)}`;
}
