import type { CatalogMeterUnit, SiteEnergySettings, Tariff, Weekday } from '@simtestlab/sync';

/**
 * The energy settings editor's state: `SiteEnergySettings` with every number kept as the text of its
 * input, so a half-typed value stays on screen until it is checked. `formToSettings` turns it back.
 * A tariff's currency and time zone are not part of the form: the hub accepts only the organization's
 * currency and the site's time zone, so the check fills them in.
 */

/** Weekdays in the order the editor shows them, Monday first. */
export const weekdayOrder: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface PeriodForm {
  name: string;
  days: Weekday[];
  /** Local wall-clock start as HH:MM, inclusive. */
  from: string;
  /** Local wall-clock end as HH:MM, exclusive; 24:00 is midnight at the end of the day. */
  to: string;
  pricePerKwh: string;
}

export interface SeasonForm {
  name: string;
  /** First day as MM-DD, inclusive. */
  from: string;
  /** Last day as MM-DD, inclusive. */
  to: string;
  periods: PeriodForm[];
}

/**
 * One dated tariff. Both import kinds keep their inputs, so switching between flat and time-of-use
 * loses nothing; only the chosen kind is saved.
 */
export interface TariffForm {
  validFrom: string;
  importKind: 'flat' | 'time-of-use';
  flatPricePerKwh: string;
  defaultPricePerKwh: string;
  seasons: SeasonForm[];
  /** Feed-in price per kWh exported; empty for no feed-in payment. */
  exportPricePerKwh: string;
  /** Demand charge per kW of the month's highest 15-minute average import; empty for none. */
  demandPricePerKw: string;
}

export interface VirtualMeterForm {
  id: string;
  name: string;
  unit: CatalogMeterUnit;
  formula: string;
}

export interface SettingsForm {
  tariffs: TariffForm[];
  virtualMeters: VirtualMeterForm[];
  /** Grams of CO2 per kWh imported; empty leaves CO2 out. */
  gridEmissionFactorGPerKwh: string;
  nightFromHour: string;
  nightToHour: string;
}

function numberText(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Returns an empty period covering the working days, for the "Add period" button. */
export function newPeriodForm(): PeriodForm {
  return { name: '', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '21:00', pricePerKwh: '' };
}

/** Returns a season spanning the whole year with one empty period. */
export function newSeasonForm(): SeasonForm {
  return { name: '', from: '01-01', to: '12-31', periods: [newPeriodForm()] };
}

/** Returns an empty flat tariff starting on `validFrom`. */
export function newTariffForm(validFrom: string): TariffForm {
  return {
    validFrom,
    importKind: 'flat',
    flatPricePerKwh: '',
    defaultPricePerKwh: '',
    seasons: [],
    exportPricePerKwh: '',
    demandPricePerKw: '',
  };
}

/** Returns an empty virtual meter in kWh. */
export function newVirtualMeterForm(): VirtualMeterForm {
  return { id: '', name: '', unit: 'kWh', formula: '' };
}

function tariffToForm(validFrom: string, tariff: Tariff): TariffForm {
  const form = newTariffForm(validFrom);
  if (tariff.import.kind === 'flat') {
    form.flatPricePerKwh = numberText(tariff.import.pricePerKwh);
  } else {
    form.importKind = 'time-of-use';
    form.defaultPricePerKwh = numberText(tariff.import.defaultPricePerKwh);
    form.seasons = tariff.import.seasons.map((season) => ({
      name: season.name,
      from: season.from,
      to: season.to,
      periods: season.periods.map((period) => ({
        name: period.name,
        days: [...period.days],
        from: period.from,
        to: period.to,
        pricePerKwh: numberText(period.pricePerKwh),
      })),
    }));
  }
  form.exportPricePerKwh = numberText(tariff.export?.pricePerKwh);
  form.demandPricePerKw = numberText(tariff.demand?.pricePerKw);
  return form;
}

/** Builds the editor's state from saved settings, tariffs sorted by start day. */
export function settingsToForm(settings: SiteEnergySettings): SettingsForm {
  const tariffs = [...settings.tariffs].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  return {
    tariffs: tariffs.map((dated) => tariffToForm(dated.validFrom, dated.tariff)),
    virtualMeters: settings.virtualMeters.map((meter) => ({ id: meter.id, name: meter.name, unit: meter.unit, formula: meter.formula })),
    gridEmissionFactorGPerKwh: numberText(settings.gridEmissionFactorGPerKwh),
    nightFromHour: String(settings.nightWindow.fromHour),
    nightToHour: String(settings.nightWindow.toHour),
  };
}
