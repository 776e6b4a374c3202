import { SITE_TIME_ZONE, type ParityDeviceKey } from './parity-site';

/**
 * The minute readings the parity test feeds, built from power profiles by local wall-clock hour, and
 * the energies worked out from those profiles without the code under test. Times are epoch ms UTC.
 *
 * Every profile is 0 in local hours 0 and 23, so no energy lies near a day boundary and the day totals
 * do not depend on how a report splits the interval that crosses midnight.
 */

const MINUTE_MS = 60_000;

/** A local day of the scenario with its UTC bounds, worked out by hand for Europe/Paris. */
export interface ParityDay {
  date: string;
  start: number;
  end: number;
  hours: number;
}

/** 2026-03-29 runs from 00:00 CET (23:00 UTC the day before) to 24:00 CEST (22:00 UTC): 23 hours. */
export const DST_DAY: ParityDay = { date: '2026-03-29', start: Date.UTC(2026, 2, 28, 23), end: Date.UTC(2026, 2, 29, 22), hours: 23 };
/** 2026-03-30 is a normal CEST day, from 22:00 UTC the day before. */
export const NORMAL_DAY: ParityDay = { date: '2026-03-30', start: Date.UTC(2026, 2, 29, 22), end: Date.UTC(2026, 2, 30, 22), hours: 24 };
export const PARITY_DAYS = [DST_DAY, NORMAL_DAY] as const;

/** A quarter hour with the day's highest grid import, [start, end), and its import power. */
export interface ImportPeak {
  start: number;
  end: number;
  powerKw: number;
}

/** The import peak of the 23-hour day: 18:30 to 18:45 CEST. */
export const DST_DAY_PEAK: ImportPeak = { start: Date.UTC(2026, 2, 29, 16, 30), end: Date.UTC(2026, 2, 29, 16, 45), powerKw: 40 };
/** The import peak of the normal day: 10:00 to 10:15 CEST. */
export const NORMAL_DAY_PEAK: ImportPeak = { start: Date.UTC(2026, 2, 30, 8, 0), end: Date.UTC(2026, 2, 30, 8, 15), powerKw: 30 };

/**
 * Minutes without any reading on the 23-hour day, as when the gateway lost its devices: the readings
 * from 14:10 to 14:49 CEST are missing, so 14:09 is followed by 14:50.
 */
export const READING_GAP = { from: Date.UTC(2026, 2, 29, 12, 10), to: Date.UTC(2026, 2, 29, 12, 50) } as const;

/**
 * The grid meter is replaced at 12:14 CEST on the 23-hour day: the new import register starts from 0,
 * so the reading at 12:15 is the growth of that one minute.
 */
export const IMPORT_COUNTER_RESET_AT = Date.UTC(2026, 2, 29, 10, 14);

/** Register values before the first reading of the scenario. */
const INITIAL = { importKwh: 15_000, exportKwh: 2_000, consumptionWh: 48_000_000 } as const;

const wallClock = new Intl.DateTimeFormat('en-GB', { timeZone: SITE_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Local wall-clock hour and minute of `ts`, from Intl rather than the zone code under test. */
export function localTime(ts: number): { hour: number; minute: number } {
  const parts = Object.fromEntries(wallClock.formatToParts(new Date(ts)).map((part) => [part.type, part.value]));
  return { hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** Grid import power in kW during the minute that starts at `ts`. */
export function importPowerKw(ts: number): number {
  for (const peak of [DST_DAY_PEAK, NORMAL_DAY_PEAK]) if (ts >= peak.start && ts < peak.end) return peak.powerKw;
  const { hour } = localTime(ts);
  if (hour === 0 || hour === 23) return 0;
  return 5 + (hour % 4);
}

/** Grid export power in kW during the minute that starts at `ts`: 2 kW from 10:00 to 15:00. */
export function exportPowerKw(ts: number): number {
  const { hour } = localTime(ts);
  return hour >= 10 && hour < 15 ? 2 : 0;
}

/** PV power in W at `ts`: 3000 W from 08:00 to 18:00. */
export function pvPowerW(ts: number): number {
  const { hour } = localTime(ts);
  return hour >= 8 && hour < 18 ? 3000 : 0;
}

/** Consumption power in kW during the minute that starts at `ts`: 4 kW from 01:00 to 23:00. */
export function consumptionPowerKw(ts: number): number {
  const { hour } = localTime(ts);
  return hour === 0 || hour === 23 ? 0 : 4;
}

/** One device's readings at one instant, as a driver returns them. */
export interface ParityReading {
  device: ParityDeviceKey;
  ts: number;
  values: Record<string, number>;
}

const inGap = (ts: number) => ts >= READING_GAP.from && ts < READING_GAP.to;

/**
 * Builds one reading per device and minute of both days, oldest first, leaving out the gap. Counter
 * values are the registers' running totals: each minute adds the minute's power times 1/60 h.
 */
export function parityReadings(): ParityReading[] {
  const readings: ParityReading[] = [];
  let importKwh: number = INITIAL.importKwh;
  let exportKwh: number = INITIAL.exportKwh;
  let consumptionWh: number = INITIAL.consumptionWh;
  for (let ts = DST_DAY.start; ts < NORMAL_DAY.end; ts += MINUTE_MS) {
    if (!inGap(ts)) {
      readings.push({ device: 'grid', ts, values: { importKwh, exportKwh } });
      readings.push({ device: 'pv', ts, values: { acPowerW: pvPowerW(ts) } });
      readings.push({ device: 'loads', ts, values: { energyWh: consumptionWh } });
    }
    const importGrowth = importPowerKw(ts) / 60;
    importKwh = ts === IMPORT_COUNTER_RESET_AT ? importGrowth : importKwh + importGrowth;
    exportKwh += exportPowerKw(ts) / 60;
    consumptionWh += (consumptionPowerKw(ts) * 1000) / 60;
  }
  return readings;
}

/** Energy in Wh of a power profile (kW per minute) over the minutes that start in [from, to). */
export function profileEnergyWh(powerKw: (ts: number) => number, from: number, to: number): number {
  let energyWh = 0;
  for (let ts = from; ts < to; ts += MINUTE_MS) energyWh += (powerKw(ts) * 1000) / 60;
  return energyWh;
}
