import { demandCharge, type DemandPeak } from './demand-peak';
import type { CostStatus, ReportCost } from './energy-report-schema';
import { bucketBoundaries, type PeriodRange } from './energy-periods';
import { tariffOn, type DatedTariff } from './energy-settings';
import { meterFlows, type EnergyFlow } from './meter-role';
import type { BillingMonth } from './report-demand';
import type { MeterResult } from './report-flows';
import { importPriceSegments, type ImportPriceSegment, type Tariff } from './tariff';
import { localDateTimeAt } from '../time/zoned-time';

/**
 * Prices of a report's source buckets and the cost of the site's grid energy under the site's dated
 * tariffs. Each source bucket is priced by the tariff valid on the local day in which it starts. Where
 * the import price changes inside a bucket, its energy is split pro rata by time, as `energyCost` does.
 */

const WH_PER_KWH = 1000;

/** Share of a source bucket's time at one time-of-use period, with the share-weighted price. */
interface PeriodShare {
  name: string;
  share: number;
  /** Share times price per kWh, so that energy in kWh times this is the period's cost. */
  weightedPricePerKwh: number;
}

/** Prices per source bucket; a bucket without a tariff has `priced` 0 and prices 0. */
export interface SourcePrices {
  currency: string;
  priced: Uint8Array;
  /** Time-weighted average import price over the bucket, per kWh. */
  importPricePerKwh: Float64Array;
  exportPricePerKwh: Float64Array;
  periodShares: PeriodShare[][];
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function localDateOf(utcMs: number, timeZone: string): string {
  const local = localDateTimeAt(utcMs, timeZone);
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

/** Finds the dated tariff of each source bucket from the local day its start falls on. */
function tariffPerBucket(tariffs: readonly DatedTariff[], range: PeriodRange, boundaries: readonly number[]): (DatedTariff | undefined)[] {
  const days = bucketBoundaries(range, '1d', range.timeZone);
  const dayTariffs = days.slice(0, -1).map((dayStart) => tariffOn(tariffs, localDateOf(dayStart, range.timeZone)));
  const result: (DatedTariff | undefined)[] = [];
  let day = 0;
  for (let i = 0; i + 1 < boundaries.length; i++) {
    while (day + 1 < dayTariffs.length && days[day + 1]! <= boundaries[i]!) day += 1;
    result.push(dayTariffs[day]);
  }
  return result;
}

/** Fills the prices of the buckets one tariff applies to, walking its price segments once. */
function priceBuckets(prices: SourcePrices, dated: DatedTariff, indexes: readonly number[], boundaries: readonly number[]): void {
  const first = boundaries[indexes[0]!]!;
  const last = boundaries[indexes[indexes.length - 1]! + 1]!;
  const segments: ImportPriceSegment[] = importPriceSegments(dated.tariff, first, last);
  const exportPrice = dated.tariff.export?.pricePerKwh ?? 0;
  let segment = 0;

  for (const i of indexes) {
    const start = boundaries[i]!;
    const end = boundaries[i + 1]!;
    while (segment > 0 && segments[segment]!.start > start) segment -= 1;
    while (segments[segment]!.end <= start) segment += 1;

    const shares = new Map<string, PeriodShare>();
    let averagePrice = 0;
    for (let s = segment; s < segments.length && segments[s]!.start < end; s++) {
      const { periodName, pricePerKwh } = segments[s]!;
      const share = (Math.min(end, segments[s]!.end) - Math.max(start, segments[s]!.start)) / (end - start);
      averagePrice += share * pricePerKwh;
      const entry = shares.get(periodName) ?? { name: periodName, share: 0, weightedPricePerKwh: 0 };
      entry.share += share;
      entry.weightedPricePerKwh += share * pricePerKwh;
      shares.set(periodName, entry);
    }
    prices.priced[i] = 1;
    prices.importPricePerKwh[i] = averagePrice;
    prices.exportPricePerKwh[i] = exportPrice;
    prices.periodShares[i] = [...shares.values()];
  }
}

/**
 * Prices every source bucket with its tariff. Returns null prices and a warning when no tariff applies to
 * the period, or when a tariff's currency differs from the organization's (or, on a standalone edge
 * without one, when the period's tariffs use different currencies).
 */
export function sourcePrices(
  tariffs: readonly DatedTariff[],
  currency: string | null,
  range: PeriodRange,
  boundaries: readonly number[],
): { prices: SourcePrices | null; status: CostStatus; warnings: string[] } {
  const bucketCount = boundaries.length - 1;
  const perBucket = tariffPerBucket(tariffs, range, boundaries);
  const used = new Map<DatedTariff, number[]>();
  perBucket.forEach((dated, i) => {
    if (dated === undefined) return;
    const indexes = used.get(dated);
    if (indexes === undefined) used.set(dated, [i]);
    else indexes.push(i);
  });

  if (used.size === 0) {
    const first = tariffs.length === 0 ? null : tariffs.reduce((a, b) => (a.validFrom <= b.validFrom ? a : b)).validFrom;
    const hint = first === null ? 'the site has no tariff' : `the first tariff starts on ${first}`;
    return { prices: null, status: 'no-tariff', warnings: [`no cost computed because no tariff applies to ${range.label}, as ${hint}: add a tariff in the site's energy settings`] };
  }

  const currencies = [...new Set([...used.keys()].map((dated) => dated.tariff.currency))];
  const foreign = currency === null ? [] : currencies.filter((code) => code !== currency);
  if (foreign.length > 0) {
    return { prices: null, status: 'currency-mismatch', warnings: [`no cost computed because a tariff is priced in ${foreign.join(', ')} but the organization uses ${currency}: enter the tariff in ${currency}`] };
  }
  if (currencies.length > 1) {
    return { prices: null, status: 'currency-mismatch', warnings: [`no cost computed because the tariffs of ${range.label} use different currencies (${currencies.join(', ')}): enter every tariff in one currency`] };
  }

  const prices: SourcePrices = {
    currency: currency ?? currencies[0]!,
    priced: new Uint8Array(bucketCount),
    importPricePerKwh: new Float64Array(bucketCount),
    exportPricePerKwh: new Float64Array(bucketCount),
    periodShares: Array.from({ length: bucketCount }, () => []),
  };
  for (const [dated, indexes] of used) priceBuckets(prices, dated, indexes, boundaries);
  return { prices, status: 'priced', warnings: [] };
}

/** Returns the net cost of each source bucket's grid energy (import cost minus export credit), null where unpriced. */
export function bucketNetCosts(prices: SourcePrices, gridImportWh: Float64Array, gridExportWh: Float64Array): (number | null)[] {
  return Array.from(gridImportWh, (importWh, i) =>
    prices.priced[i] === 1 ? (importWh / WH_PER_KWH) * prices.importPricePerKwh[i]! - (gridExportWh[i]! / WH_PER_KWH) * prices.exportPricePerKwh[i]! : null,
  );
}

export interface ReportCostInput {
  prices: SourcePrices;
  tariffs: readonly DatedTariff[];
  range: PeriodRange;
  /** First local day of the period, YYYY-MM-DD. */
  firstDay: string;
  /** Last local day of the period, YYYY-MM-DD. */
  lastDay: string;
  /** Whether 15-minute grid import data was read, so that peaks can be found. */
  hasDemandData: boolean;
  /**
   * The calendar months that lie wholly in the period, each with its 15-minute peak and the grid import
   * samples of its source rows (`importSamples`) and of its 15-minute rows (`demandSamples`). The two
   * differ when the report reads hourly rows and some 15-minute rows are missing.
   */
  months: readonly (BillingMonth & { peak: DemandPeak | null; importSamples: number; demandSamples: number })[];
  /** The parts of the months that the period covers only in part. */
  partialMonths: readonly BillingMonth[];
  /** Number of months from the first that get a charge, null for all: a previous period bills as many as the running one. */
  billedMonthCount: number | null;
  /** Time of the computation in epoch ms: months that start later get no charge and no warning. */
  now: number;
  gridImportWh: Float64Array;
  gridExportWh: Float64Array;
}

/** Lists the tariffs that apply on any local day from `firstDay` to `lastDay`, both YYYY-MM-DD. */
function tariffsBetween(tariffs: readonly DatedTariff[], firstDay: string, lastDay: string): DatedTariff[] {
  const first = tariffOn(tariffs, firstDay);
  const later = tariffs.filter((dated) => dated.validFrom > firstDay && dated.validFrom <= lastDay);
  return first === undefined ? later : [first, ...later];
}

/** Joins month labels for a message: `2026-01`, `2026-01 and 2026-02`, `2026-01, 2026-02 and 2026-04`. */
function monthList(months: readonly string[]): string {
  return months.length <= 1 ? months.join('') : `${months.slice(0, -1).join(', ')} and ${months.at(-1)}`;
}

/** Time a month may run without a grid import reading before its missing peak gets a warning: the report's gap limit. */
const DEMAND_WARNING_DELAY_MS = 2 * 3_600_000;

/** Returns whether two demand charge definitions differ, a missing one included. */
function demandDiffers(a: Tariff['demand'], b: Tariff['demand']): boolean {
  return a?.pricePerKw !== b?.pricePerKw || a?.intervalMinutes !== b?.intervalMinutes;
}

/** Warns about each tariff that changes the demand charge inside `month`, which is billed by the tariff valid on its first day. */
function midMonthDemandChanges(input: ReportCostInput, month: BillingMonth, warnings: string[]): void {
  const firstDay = `${month.month}-01`;
  const lastDay = localDateOf(month.end - 1, input.range.timeZone);
  const billing = tariffOn(input.tariffs, firstDay);
  const later = input.tariffs.filter((dated) => dated.validFrom > firstDay && dated.validFrom <= lastDay).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  let inForce = billing?.tariff.demand;
  for (const dated of later) {
    if (demandDiffers(dated.tariff.demand, inForce)) {
      const billedBy = billing === undefined ? `gets no demand charge because no tariff is valid on ${firstDay}` : `is billed by the tariff valid on ${firstDay}`;
      warnings.push(`the tariff valid from ${dated.validFrom} changes the demand charge inside ${month.month}, which ${billedBy}: date demand charge changes from the 1st of a month`);
    }
    inForce = dated.tariff.demand;
  }
}

/**
 * Computes the demand charge of each whole calendar month of the period, from the tariff valid on its
 * first day and its 15-minute peak. A charge is null where that tariff bills no demand, no peak was
 * found, the month has not started by `now` or lies beyond `billedMonthCount`. A missing or low charge
 * would otherwise read as the amount due, so warnings name the months without a charge that is due and
 * the months whose 15-minute rows hold fewer samples than their hourly rows. They also name tariffs
 * that change the demand charge inside a month, and the started months a custom period covers only in
 * part.
 */
function monthlyDemandCharges(input: ReportCostInput, warnings: string[]): (number | null)[] {
  const hourlyOnly: string[] = [];
  const withoutQuarterHours: string[] = [];
  const withoutPeak: string[] = [];
  const partlyCovered: string[] = [];
  const charges = input.months.map((billingMonth, index) => {
    const { month, start, peak, importSamples, demandSamples } = billingMonth;
    if (start >= input.now || (input.billedMonthCount !== null && index >= input.billedMonthCount)) return null;
    midMonthDemandChanges(input, billingMonth, warnings);
    const tariff = tariffOn(input.tariffs, `${month}-01`)?.tariff;
    if (tariff?.demand === undefined) return null;
    if (!input.hasDemandData) {
      hourlyOnly.push(month);
      return null;
    }
    if (peak === null) {
      if (demandSamples === 0 && importSamples > 0) withoutQuarterHours.push(month);
      // A month that began moments ago may simply have no reading yet.
      else if (input.now - start >= DEMAND_WARNING_DELAY_MS) withoutPeak.push(month);
      return null;
    }
    if (demandSamples < importSamples) partlyCovered.push(`${month} (${Math.floor((demandSamples / importSamples) * 100)}%)`);
    return demandCharge(tariff, peak);
  });
  if (hourlyOnly.length > 0) {
    warnings.push(`no demand charge computed for ${monthList(hourlyOnly)} because only hourly data was read and demand needs 15-minute data`);
  }
  if (withoutQuarterHours.length > 0) {
    warnings.push(
      `no demand charge computed for ${monthList(withoutQuarterHours)} because the grid import has hourly rows there but no 15-minute rows, ` +
        'for example because they are past their retention: demand needs 15-minute data',
    );
  }
  if (withoutPeak.length > 0) {
    warnings.push(
      `no demand charge computed for ${monthList(withoutPeak)} because no grid import reading gives a 15-minute peak: check that the grid meter measures import and its device is polled`,
    );
  }
  if (partlyCovered.length > 0) {
    warnings.push(
      `the demand charge of ${monthList(partlyCovered)} comes from 15-minute grid import rows that hold only that share of the samples of its hourly rows, ` +
        'so the real peak may be higher: check the 15-minute data of that month',
    );
  }
  // A day or a week always lies in one or two months in part, so only a custom period gets the warning.
  const { range } = input;
  const billed = input.partialMonths.filter(
    (part) =>
      part.start < input.now &&
      tariffsBetween(input.tariffs, localDateOf(part.start, range.timeZone), localDateOf(part.end - 1, range.timeZone)).some((dated) => dated.tariff.demand !== undefined),
  );
  if (range.kind === 'custom' && billed.length > 0) {
    warnings.push(
      `no demand charge computed for ${monthList(billed.map((part) => part.month))} because ${range.label} covers ${billed.length === 1 ? 'this month' : 'these months'} only in part ` +
        "and demand charges are billed per calendar month: open each month's report for its peak and charge",
    );
  }
  return charges;
}

/**
 * Computes the report's cost section and the demand charge of each whole month (see
 * `monthlyDemandCharges`). The cost's demand charge is their sum, null when no month has one.
 */
export function reportCost(input: ReportCostInput): { cost: ReportCost; monthCharges: (number | null)[]; warnings: string[] } {
  const { prices } = input;
  const warnings: string[] = [];
  let importCost = 0;
  let exportCredit = 0;
  let unpricedImportWh = 0;
  const byPeriod = new Map<string, { name: string; importWh: number; importCost: number }>();

  input.gridImportWh.forEach((importWh, i) => {
    if (prices.priced[i] !== 1) {
      unpricedImportWh += importWh;
      return;
    }
    importCost += (importWh / WH_PER_KWH) * prices.importPricePerKwh[i]!;
    exportCredit += (input.gridExportWh[i]! / WH_PER_KWH) * prices.exportPricePerKwh[i]!;
    for (const share of prices.periodShares[i]!) {
      const entry = byPeriod.get(share.name) ?? { name: share.name, importWh: 0, importCost: 0 };
      entry.importWh += importWh * share.share;
      entry.importCost += (importWh / WH_PER_KWH) * share.weightedPricePerKwh;
      byPeriod.set(share.name, entry);
    }
  });
  if (prices.priced.includes(0)) {
    warnings.push(`part of ${input.range.label} has no tariff, so ${(unpricedImportWh / WH_PER_KWH).toFixed(3)} kWh of import is not priced: add a tariff valid from ${input.firstDay}`);
  }

  const monthCharges = monthlyDemandCharges(input, warnings);
  const charged = monthCharges.filter((charge): charge is number => charge !== null);
  const charge = charged.length === 0 ? null : charged.reduce((total, value) => total + value, 0);

  return {
    cost: {
      currency: prices.currency,
      importCost,
      exportCredit,
      demandCharge: charge,
      net: importCost - exportCredit + (charge ?? 0),
      byTariffPeriod: [...byPeriod.values()],
      unpricedImportWh,
    },
    monthCharges,
    warnings,
  };
}

function flowPrice(prices: SourcePrices, flow: EnergyFlow | null, i: number): number {
  return flow === 'gridExport' ? prices.exportPricePerKwh[i]! : prices.importPricePerKwh[i]!;
}

/**
 * Prices one meter's energy per source bucket: energy toward grid export at the feed-in price, every other
 * flow at the import price. A point without a role is priced at the import price when its energy is positive.
 */
export function meterCost(result: MeterResult, prices: SourcePrices): number {
  const flows = result.meter.role === null ? null : meterFlows(result.meter.role);
  let cost = 0;
  for (let i = 0; i < result.energyWh.length; i++) {
    if (prices.priced[i] !== 1) continue;
    const forwardWh = flows === null ? Math.max(0, result.energyWh[i]!) : result.energyWh[i]!;
    cost += (forwardWh / WH_PER_KWH) * flowPrice(prices, flows?.positive ?? null, i);
    if (flows?.negative != null) cost += (result.reverseWh[i]! / WH_PER_KWH) * flowPrice(prices, flows.negative, i);
  }
  return cost;
}
