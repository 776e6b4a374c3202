import { catalogMeterUnitSchema, siteEnergySettingsSchema, validateVirtualMeters, virtualMeterDefinitionSchema, type CatalogMeter, type SiteEnergySettings } from '@simtestlab/sync';
import { addFieldError, fieldErrorsFromIssues, mergeFieldErrors, type FieldErrors } from './field-errors';
import type { PeriodForm, SeasonForm, SettingsForm, TariffForm } from './settings-form';

/** Inputs of the check besides the form: the organization's currency, the site's time zone and meters. */
export interface SettingsContext {
  /** ISO 4217 code of the organization, in which every tariff is priced. */
  currency: string;
  /** IANA zone of the site, whose wall clock every tariff follows. */
  timeZone: string;
  /** Meters of the site that formulas may name, as `device.point` with their unit. */
  meters: readonly { id: string; unit: string }[];
}

/**
 * Result of checking the form: the settings to save (null while `errors` has messages), and formula
 * problems found against the site's meters. Those do not stop a save, because the hub checks formulas
 * against its current meter list and its message is the one that counts.
 */
export interface SettingsCheck {
  settings: SiteEnergySettings | null;
  errors: FieldErrors;
  formulaWarnings: FieldErrors;
}

/**
 * A decimal number as people type it: digits with at most one decimal separator, '.' or ',' (as in
 * 0,25), and an optional sign. `Number` alone would also read `0x10`, `1e3` and `Infinity`.
 */
const DECIMAL_PATTERN = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;

/** Options of a number input: its name in messages, an example value, and the range the schema allows. */
interface NumberInput {
  label: string;
  example: string;
  required: boolean;
  range?: { min: number; max: number; unit?: string; integer?: boolean };
}

/** Reads a number input into `errors` under `path`; returns NaN for a required field that is empty or invalid, undefined for an empty optional one. */
function readNumber(text: string, path: string, errors: FieldErrors, options: NumberInput): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    if (!options.required) return undefined;
    addFieldError(errors, path, `missing ${options.label}: enter a number such as ${options.example}`);
    return Number.NaN;
  }
  if (!DECIMAL_PATTERN.test(trimmed)) {
    addFieldError(errors, path, `invalid ${options.label} "${trimmed}": enter a number such as ${options.example}`);
    return Number.NaN;
  }
  const value = Number(trimmed.replace(',', '.'));
  const range = options.range;
  if (range !== undefined && (value < range.min || value > range.max || (range.integer === true && !Number.isInteger(value)))) {
    const kind = range.integer === true ? 'a whole number' : 'a number';
    const unit = range.unit === undefined ? '' : ` ${range.unit}`;
    addFieldError(errors, path, `${options.label} "${trimmed}" is out of range: enter ${kind} from ${range.min} to ${range.max}${unit}`);
    return Number.NaN;
  }
  return value;
}

/** Upper bound of `gridEmissionFactorGPerKwh` in the shared settings schema. */
const MAX_EMISSION_FACTOR_G_PER_KWH = 5000;

const price = { label: 'price', example: '0.25', required: true };

function periodCandidate(period: PeriodForm, path: string, errors: FieldErrors) {
  return {
    name: period.name.trim(),
    days: period.days,
    from: period.from.trim(),
    to: period.to.trim(),
    pricePerKwh: readNumber(period.pricePerKwh, `${path}.pricePerKwh`, errors, price),
  };
}

function seasonCandidate(season: SeasonForm, path: string, errors: FieldErrors) {
  return {
    name: season.name.trim(),
    from: season.from.trim(),
    to: season.to.trim(),
    periods: season.periods.map((period, index) => periodCandidate(period, `${path}.periods[${index}]`, errors)),
  };
}

function tariffCandidate(tariff: TariffForm, path: string, context: SettingsContext, errors: FieldErrors) {
  const importPath = `${path}.import`;
  const exportPrice = readNumber(tariff.exportPricePerKwh, `${path}.export.pricePerKwh`, errors, { ...price, required: false });
  const demandPrice = readNumber(tariff.demandPricePerKw, `${path}.demand.pricePerKw`, errors, { label: 'demand price', example: '12.5', required: false });
  return {
    currency: context.currency,
    timeZone: context.timeZone,
    import:
      tariff.importKind === 'flat'
        ? { kind: 'flat', pricePerKwh: readNumber(tariff.flatPricePerKwh, `${importPath}.pricePerKwh`, errors, price) }
        : {
            kind: 'time-of-use',
            defaultPricePerKwh: readNumber(tariff.defaultPricePerKwh, `${importPath}.defaultPricePerKwh`, errors, price),
            seasons: tariff.seasons.map((season, index) => seasonCandidate(season, `${importPath}.seasons[${index}]`, errors)),
          },
    ...(exportPrice === undefined ? {} : { export: { pricePerKwh: exportPrice } }),
    ...(demandPrice === undefined ? {} : { demand: { pricePerKw: demandPrice, intervalMinutes: 15 } }),
  };
}

/**
 * Checks the virtual meters that are well formed on their own against the site's meters (unknown
 * meters, energy mixed with power, cycles), as the hub does on save. An id clash lands on the id field,
 * every other problem on the formula.
 */
function checkVirtualMeterFormulas(form: SettingsForm, context: SettingsContext): FieldErrors {
  const catalog: CatalogMeter[] = [];
  for (const meter of context.meters) {
    const unit = catalogMeterUnitSchema.safeParse(meter.unit);
    if (unit.success) catalog.push({ id: meter.id, unit: unit.data });
  }
  const definitions = form.virtualMeters.flatMap((meter) => {
    const parsed = virtualMeterDefinitionSchema.safeParse(meter);
    return parsed.success ? [parsed.data] : [];
  });
  const physicalIds = new Set(catalog.map((meter) => meter.id));
  const errors: FieldErrors = {};
  for (const error of validateVirtualMeters(definitions, catalog)) {
    const index = form.virtualMeters.findIndex((meter) => meter.id.trim() === error.meterId);
    if (index < 0) continue;
    const clash = physicalIds.has(error.meterId) || form.virtualMeters.filter((meter) => meter.id.trim() === error.meterId).length > 1;
    const field = clash ? 'id' : 'formula';
    addFieldError(errors, `virtualMeters[${index}].${field}`, error.message);
  }
  return errors;
}

/**
 * Turns the editor's state into `SiteEnergySettings` and checks it with the shared schema and the
 * virtual meter rules, so the editor shows the hub's messages before a save. Rows keep their order, so
 * the index in a server error's `parameter` points at the row on screen.
 */
export function formToSettings(form: SettingsForm, context: SettingsContext): SettingsCheck {
  const inputErrors: FieldErrors = {};
  const candidate = {
    tariffs: form.tariffs.map((tariff, index) => ({
      validFrom: tariff.validFrom.trim(),
      tariff: tariffCandidate(tariff, `tariffs[${index}].tariff`, context, inputErrors),
    })),
    virtualMeters: form.virtualMeters.map((meter) => ({ id: meter.id, name: meter.name, unit: meter.unit, formula: meter.formula })),
    gridEmissionFactorGPerKwh:
      readNumber(form.gridEmissionFactorGPerKwh, 'gridEmissionFactorGPerKwh', inputErrors, {
        label: 'emission factor',
        example: '380',
        required: false,
        range: { min: 0, max: MAX_EMISSION_FACTOR_G_PER_KWH, unit: 'g CO2 per kWh' },
      }) ?? null,
    nightWindow: {
      fromHour: readNumber(form.nightFromHour, 'nightWindow.fromHour', inputErrors, { label: 'hour', example: '0', required: true, range: { min: 0, max: 23, integer: true } }),
      toHour: readNumber(form.nightToHour, 'nightWindow.toHour', inputErrors, { label: 'hour', example: '5', required: true, range: { min: 1, max: 24, integer: true } }),
    },
  };

  const parsed = siteEnergySettingsSchema.safeParse(candidate);
  const schemaIssues = parsed.success ? [] : parsed.error.issues;
  // An input that is empty or not a number already has its own message, so the schema's second one is dropped.
  const schemaErrors = Object.fromEntries(Object.entries(fieldErrorsFromIssues(schemaIssues)).filter(([path]) => inputErrors[path] === undefined));
  const hasMeterIssues = schemaIssues.some((issue) => issue.path[0] === 'virtualMeters');
  const formulaWarnings = hasMeterIssues ? {} : checkVirtualMeterFormulas(form, context);

  const errors = mergeFieldErrors(inputErrors, schemaErrors);
  const settings = Object.keys(errors).length === 0 && parsed.success ? parsed.data : null;
  return { settings, errors, formulaWarnings };
}
