import { unitSymbol, type SampleValue } from '@simtestlab/sync';

/** The symbol people read for a unit: `°C` for the model's `C`. */
export const displayUnit = unitSymbol;

const numberFormats = new Map<number, Intl.NumberFormat>();
function numberFormat(digits: number): Intl.NumberFormat {
  let format = numberFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(digits, format);
  }
  return format;
}

/** Formats a number with as many decimals as its size needs: 12,345 / 123.4 / 1.234. */
export function formatNumber(value: number): string {
  const size = Math.abs(value);
  let digits = 3;
  if (size >= 1_000) digits = 0;
  else if (size >= 100) digits = 1;
  else if (size >= 1) digits = 2;
  return numberFormat(digits).format(value);
}

/** Formats a sample value for display, without its unit, or `–` when there is none. */
export function formatValue(value: SampleValue | undefined): string {
  if (value === null || value === undefined) return '–';
  return typeof value === 'number' ? formatNumber(value) : value;
}

/** Power in W, kW or MW, whichever reads best. */
export function formatPower(watts: number | null): { value: string; unit: string } {
  if (watts === null) return { value: '–', unit: '' };
  const size = Math.abs(watts);
  if (size >= 1_000_000) return { value: formatNumber(watts / 1_000_000), unit: 'MW' };
  if (size >= 1_000) return { value: formatNumber(watts / 1_000), unit: 'kW' };
  return { value: formatNumber(watts), unit: 'W' };
}

/** Energy in Wh, kWh or MWh, whichever reads best. */
export function formatEnergy(wattHours: number | null): { value: string; unit: string } {
  if (wattHours === null) return { value: '–', unit: '' };
  const size = Math.abs(wattHours);
  if (size >= 1_000_000) return { value: formatNumber(wattHours / 1_000_000), unit: 'MWh' };
  if (size >= 1_000) return { value: formatNumber(wattHours / 1_000), unit: 'kWh' };
  return { value: formatNumber(wattHours), unit: 'Wh' };
}
