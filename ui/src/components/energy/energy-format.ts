/**
 * Number, money and change formatting of the energy pages. Energies are shown in kWh whatever their
 * size, so columns and tiles compare at a glance. `locale` defaults to the browser's; tests pass one.
 */
import type { CostStatus } from '@simtestlab/sync';

const numberFormats = new Map<string, Intl.NumberFormat>();

function fixedFormat(digits: number, locale: string | undefined, signed = false): Intl.NumberFormat {
  const key = `${locale ?? ''}|${digits}|${signed}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'auto' });
    numberFormats.set(key, format);
  }
  return format;
}

/** Decimals for a kWh figure: none from 100 kWh, one from 10 kWh, two below. */
export function kwhDecimals(kwh: number): number {
  const size = Math.abs(kwh);
  if (size >= 100) return 0;
  if (size >= 10) return 1;
  return 2;
}

/** Formats Wh as a kWh number without the unit, such as `1,234` or `12.3`; `–` for null. */
export function formatKwh(wattHours: number | null, locale?: string): string {
  if (wattHours === null || !Number.isFinite(wattHours)) return '–';
  const kwh = wattHours / 1_000;
  return fixedFormat(kwhDecimals(kwh), locale).format(kwh);
}

/** Formats Wh as kWh with the unit: `12.3 kWh`. */
export function formatKwhWithUnit(wattHours: number | null, locale?: string): string {
  const value = formatKwh(wattHours, locale);
  return value === '–' ? value : `${value} kWh`;
}

/** Formats a signed kWh change with its sign: `+1.25 kWh`, `−300 kWh`, `0.00 kWh`. */
export function formatKwhChange(wattHours: number, locale?: string): string {
  const kwh = wattHours / 1_000;
  return `${fixedFormat(kwhDecimals(kwh), locale, true).format(kwh)} kWh`;
}

/** Formats an amount of money in `currency` (an ISO 4217 code); an unknown code is shown after the number. */
export function formatMoney(amount: number | null, currency: string, locale?: string, signed = false): string {
  if (amount === null || !Number.isFinite(amount)) return '–';
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, signDisplay: signed ? 'exceptZero' : 'auto' }).format(amount);
  } catch (error) {
    // Intl rejects a code that is not three letters; the amount still reads with the code as written.
    if (!(error instanceof RangeError)) throw error;
    return `${fixedFormat(2, locale, signed).format(amount)} ${currency}`;
  }
}

/** Formats a ratio from 0 to 1 as a percentage with one decimal: `87.5 %`; `–` for null. */
export function formatRatio(ratio: number | null, locale?: string): string {
  if (ratio === null || !Number.isFinite(ratio)) return '–';
  return `${fixedFormat(1, locale).format(ratio * 100)} %`;
}

/** Formats a relative change as a signed percentage with one decimal: `+12.5 %`. */
export function formatPercentChange(ratio: number, locale?: string): string {
  return `${fixedFormat(1, locale, true).format(ratio * 100)} %`;
}

/** Formats a power in kW without the unit, for a column that names it: `12.34`, or `123` from 100 kW up. */
export function formatKwNumber(kilowatts: number, locale?: string): string {
  return fixedFormat(Math.abs(kilowatts) >= 100 ? 0 : 2, locale).format(kilowatts);
}

/** Formats a power in kW with two decimals below 100 kW: `12.34 kW`. */
export function formatKw(kilowatts: number, locale?: string): string {
  return `${formatKwNumber(kilowatts, locale)} kW`;
}

/** Formats a power in W as kW from 1 kW up, else in W: `850 W`, `1.25 kW`. */
export function formatWatts(watts: number | null, locale?: string): string {
  if (watts === null || !Number.isFinite(watts)) return '–';
  if (Math.abs(watts) >= 1_000) return formatKw(watts / 1_000, locale);
  return `${fixedFormat(0, locale).format(watts)} W`;
}

/** Formats a mass of CO2 in kg, or in t from 10 t up: `123.4 kg`, `12.5 t`. */
export function formatCo2Kg(kilograms: number, locale?: string): string {
  if (Math.abs(kilograms) >= 10_000) return `${fixedFormat(1, locale).format(kilograms / 1_000)} t`;
  return `${fixedFormat(Math.abs(kilograms) >= 100 ? 0 : 1, locale).format(kilograms)} kg`;
}

/** Returns the short text a tile shows instead of a cost, by why the report has none. */
export function noCostLabel(status: CostStatus): string {
  if (status === 'currency-mismatch') return 'Currency mismatch';
  if (status === 'no-grid-data') return 'No grid data';
  return 'No tariff';
}

/** Explains why the report has no cost and what to do. */
export function noCostMessage(status: CostStatus): string {
  if (status === 'currency-mismatch') return "A tariff of this period is priced in another currency than the organization's, so there are no costs. A site manager enters the tariff in the organization's currency.";
  if (status === 'no-grid-data') return 'No grid meter has a reading in this period, so there are no costs. Check that the grid meter has a grid role and is online.';
  return "No tariff applies to this period, so there are no costs. A site manager sets tariffs in the site's energy settings.";
}
