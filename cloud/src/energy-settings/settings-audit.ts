import { isDeepStrictEqual } from 'node:util';
import type { SiteEnergySettings } from '@simtestlab/sync';

/** The parts of the settings an audit entry compares, in the order its `changed` list names them. */
export const AUDITED_SETTINGS_FIELDS = ['tariffs', 'virtualMeters', 'gridEmissionFactorGPerKwh', 'nightWindow'] as const;

/**
 * Returns the audited state of energy settings: a short line per tariff and the virtual meters' formulas,
 * rather than every price, so entries stay readable in the audit log. The settings hold no secrets.
 */
export function energySettingsAuditState(settings: SiteEnergySettings) {
  return {
    tariffs: settings.tariffs.map(({ validFrom, tariff }) => ({
      validFrom,
      currency: tariff.currency,
      timeZone: tariff.timeZone,
      import: tariff.import.kind,
      export: tariff.export !== undefined,
      demand: tariff.demand !== undefined,
    })),
    virtualMeters: settings.virtualMeters.map((meter) => `${meter.id} [${meter.unit}] = ${meter.formula}`),
    gridEmissionFactorGPerKwh: settings.gridEmissionFactorGPerKwh,
    nightWindow: settings.nightWindow,
  };
}

/** Lists the top-level settings that differ, such as `['tariffs', 'nightWindow']`; empty when nothing changed. */
export function changedSettings(before: SiteEnergySettings, after: SiteEnergySettings): string[] {
  return AUDITED_SETTINGS_FIELDS.filter((field) => !isDeepStrictEqual(before[field], after[field]));
}
