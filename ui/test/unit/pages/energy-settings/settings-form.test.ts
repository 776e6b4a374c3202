import { defaultSiteEnergySettings } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { formToSettings } from '../../../../src/components/energy-settings/settings-check';
import { newPeriodForm, newSeasonForm, newTariffForm, settingsToForm } from '../../../../src/components/energy-settings/settings-form';
import { context, fullSettings } from './settings-fixture';

describe('settingsToForm and formToSettings', () => {
  it('round-trips full settings', () => {
    const check = formToSettings(settingsToForm(fullSettings), context);
    expect(check.errors).toEqual({});
    expect(check.settings).toEqual(fullSettings);
  });

  it('round-trips the defaults', () => {
    const form = settingsToForm(defaultSiteEnergySettings);
    expect(form).toEqual({ tariffs: [], virtualMeters: [], gridEmissionFactorGPerKwh: '', nightFromHour: '0', nightToHour: '5' });
    expect(formToSettings(form, context).settings).toEqual(defaultSiteEnergySettings);
  });

  it('shows numbers as input text', () => {
    const form = settingsToForm(fullSettings);
    const touTariff = form.tariffs[1]!;
    expect(touTariff.importKind).toBe('time-of-use');
    expect(touTariff.defaultPricePerKwh).toBe('0.2');
    expect(touTariff.seasons[0]!.periods[0]!.pricePerKwh).toBe('0.35');
    expect(touTariff.exportPricePerKwh).toBe('0.08');
    expect(touTariff.demandPricePerKw).toBe('12.5');
    expect(form.tariffs[0]!.exportPricePerKwh).toBe('');
    expect(form.gridEmissionFactorGPerKwh).toBe('380');
  });

  it('sorts tariffs by start day', () => {
    const form = settingsToForm({ ...fullSettings, tariffs: [...fullSettings.tariffs].reverse() });
    expect(form.tariffs.map((tariff) => tariff.validFrom)).toEqual(['2025-01-01', '2026-01-01']);
  });

  it('saves only the chosen import kind', () => {
    const form = settingsToForm(fullSettings);
    form.tariffs[1]!.importKind = 'flat';
    form.tariffs[1]!.flatPricePerKwh = '0.31';
    const settings = formToSettings(form, context).settings!;
    expect(settings.tariffs[1]!.tariff.import).toEqual({ kind: 'flat', pricePerKwh: 0.31 });
    // The seasons stay in the form, so switching back restores them.
    expect(form.tariffs[1]!.seasons).toHaveLength(1);
  });

  it('leaves out empty feed-in and demand prices', () => {
    const form = settingsToForm(defaultSiteEnergySettings);
    form.tariffs.push({ ...newTariffForm('2026-03-01'), flatPricePerKwh: '0.3' });
    const tariff = formToSettings(form, context).settings!.tariffs[0]!.tariff;
    expect(tariff).toEqual({ currency: 'EUR', timeZone: 'Europe/Berlin', import: { kind: 'flat', pricePerKwh: 0.3 } });
  });

  it('prices new tariffs in the organization currency', () => {
    const form = settingsToForm(fullSettings);
    const settings = formToSettings(form, { ...context, currency: 'CHF' }).settings!;
    expect(settings.tariffs.map((dated) => dated.tariff.currency)).toEqual(['CHF', 'CHF']);
  });

  it('sets every tariff to the site time zone', () => {
    const settings = formToSettings(settingsToForm(fullSettings), { ...context, timeZone: 'Europe/Vienna' }).settings!;
    expect(settings.tariffs.map((dated) => dated.tariff.timeZone)).toEqual(['Europe/Vienna', 'Europe/Vienna']);
  });

  it('builds a time-of-use tariff from new rows', () => {
    const form = settingsToForm(defaultSiteEnergySettings);
    const tariff = { ...newTariffForm('2026-04-01'), importKind: 'time-of-use' as const, defaultPricePerKwh: '0.22' };
    const season = { ...newSeasonForm(), name: 'All year' };
    season.periods = [{ ...newPeriodForm(), name: 'Day', pricePerKwh: '0.3' }];
    tariff.seasons = [season];
    form.tariffs.push(tariff);
    const settings = formToSettings(form, context).settings!;
    expect(settings.tariffs[0]!.tariff.import).toEqual({
      kind: 'time-of-use',
      defaultPricePerKwh: 0.22,
      seasons: [{ name: 'All year', from: '01-01', to: '12-31', periods: [{ name: 'Day', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '21:00', pricePerKwh: 0.3 }] }],
    });
  });

  it('trims text fields', () => {
    const form = settingsToForm(fullSettings);
    form.virtualMeters[0]!.id = '  house  ';
    form.tariffs[0]!.flatPricePerKwh = ' 0.3 ';
    const settings = formToSettings(form, context).settings!;
    expect(settings.virtualMeters[0]!.id).toBe('house');
    expect(settings.tariffs[0]!.tariff.import).toEqual({ kind: 'flat', pricePerKwh: 0.3 });
  });
});
