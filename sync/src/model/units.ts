import { z } from 'zod';

/**
 * Engineering units a point may carry. Symbols follow SI and the SunSpec models, so a unit read from a
 * template maps one to one. `''` means dimensionless or not stated by the source.
 */
export const units = [
  '',
  'W',
  'kW',
  'MW',
  'Wh',
  'kWh',
  'MWh',
  'VA',
  'kVA',
  'var',
  'kvar',
  'varh',
  'kvarh',
  'VAh',
  'V',
  'A',
  'Hz',
  'Pct',
  'PF',
  'C',
  'F',
  'K',
  'W/m2',
  'm/s',
  'Pa',
  'kPa',
  'bar',
  'm3/h',
  'l/s',
  'cfm',
  'ppm',
  'Ohm',
  's',
  'h',
  'deg',
] as const;

export const unitSchema = z.enum(units);
export type Unit = z.infer<typeof unitSchema>;

/** Aliases found in device documentation and data sets, mapped to the canonical symbol. */
const unitAliases: Record<string, Unit> = {
  '%': 'Pct',
  'cos()': 'PF',
  '°C': 'C',
  degC: 'C',
  '°F': 'F',
  VAr: 'var',
  Var: 'var',
  VArh: 'varh',
  Varh: 'varh',
  'W/m^2': 'W/m2',
  'W/m²': 'W/m2',
  Secs: 's',
  Degrees: 'deg',
};

/** Returns the canonical unit for a symbol or alias, or undefined when it is not known. */
export function normalizeUnit(symbol: string | undefined): Unit | undefined {
  if (symbol === undefined) return '';
  if ((units as readonly string[]).includes(symbol)) return symbol as Unit;
  return unitAliases[symbol];
}

/** Symbols people read for the units whose model name is ASCII (`Pct`, `C`, `W/m2`); others are unchanged. */
const displaySymbols: Partial<Record<string, string>> = { Pct: '%', C: '°C', F: '°F', deg: '°', 'W/m2': 'W/m²', 'm3/h': 'm³/h' };

/** Returns the symbol to show for a unit in messages and pages. */
export function unitSymbol(unit: string): string {
  return displaySymbols[unit] ?? unit;
}
