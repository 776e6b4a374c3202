import { describe, expect, it } from 'vitest';
import { formToSettings } from '../../../../src/components/energy-settings/settings-check';
import { settingsToForm, type SettingsForm } from '../../../../src/components/energy-settings/settings-form';
import { context, fullSettings } from './settings-fixture';

/** Returns the full settings as a form, changed by `edit`. */
function formWith(edit: (form: SettingsForm) => void): SettingsForm {
  const form = settingsToForm(fullSettings);
  edit(form);
  return form;
}

const seasonPath = 'tariffs[1].tariff.import.seasons[0]';

describe('formToSettings errors', () => {
  it('reports an empty flat price once', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[0]!.flatPricePerKwh = '')), context);
    expect(check.settings).toBeNull();
    expect(check.errors).toEqual({ 'tariffs[0].tariff.import.pricePerKwh': ['missing price: enter a number such as 0.25'] });
  });

  it('reports a price that is not a number', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[1]!.seasons[0]!.periods[1]!.pricePerKwh = '0,18x')), context);
    expect(check.errors).toEqual({ [`${seasonPath}.periods[1].pricePerKwh`]: ['invalid price "0,18x": enter a number such as 0.25'] });
  });

  it('accepts a negative feed-in price', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[1]!.exportPricePerKwh = '-0.05')), context);
    expect(check.errors).toEqual({});
  });

  it('reports a feed-in price out of range from the schema', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[1]!.exportPricePerKwh = '-2000')), context);
    expect(Object.keys(check.errors)).toEqual(['tariffs[1].tariff.export.pricePerKwh']);
  });

  it('reports an invalid season day', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[1]!.seasons[0]!.to = '02-30')), context);
    expect(check.errors[`${seasonPath}.to`]).toEqual(['invalid month-day "02-30": expected MM-DD, for example 03-31']);
  });

  it('reports a period crossing midnight on the period', () => {
    const check = formToSettings(
      formWith((form) => {
        const period = form.tariffs[1]!.seasons[0]!.periods[0]!;
        period.from = '22:00';
        period.to = '06:00';
      }),
      context,
    );
    expect(check.errors[`${seasonPath}.periods[0]`]?.[0]).toContain('split a period that crosses midnight into two');
  });

  it('reports overlapping periods on the season', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[1]!.seasons[0]!.periods[1]!.days = ['fri', 'sat'])), context);
    expect(check.errors[`${seasonPath}.periods`]).toEqual(['periods "Weekend" and "Peak" of season "Winter" overlap on fri: make their hours on that day disjoint']);
  });

  it('reports a period without days', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[1]!.seasons[0]!.periods[0]!.days = [])), context);
    expect(Object.keys(check.errors)).toEqual([`${seasonPath}.periods[0].days`]);
  });

  it('reports two tariffs starting on one day', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[1]!.validFrom = '2025-01-01')), context);
    expect(check.errors['tariffs[1].validFrom']).toEqual(['two tariffs start on 2025-01-01: give each tariff its own start day']);
  });

  it('reports a formula syntax error', () => {
    const check = formToSettings(formWith((form) => (form.virtualMeters[0]!.formula = '{pv.WH} +')), context);
    expect(check.settings).toBeNull();
    expect(Object.keys(check.errors)).toEqual(['virtualMeters[0].formula']);
    expect(check.errors['virtualMeters[0].formula']![0]).toContain('invalid formula of "house"');
  });

  it('reports a night window that ends before it starts', () => {
    const check = formToSettings(
      formWith((form) => {
        form.nightFromHour = '5';
        form.nightToHour = '2';
      }),
      context,
    );
    expect(check.errors).toEqual({ nightWindow: ['nightWindow.fromHour must be before toHour, for example 0 and 5'] });
  });

  it('reports a fractional night hour', () => {
    const check = formToSettings(formWith((form) => (form.nightFromHour = '1.5')), context);
    expect(Object.keys(check.errors)).toEqual(['nightWindow.fromHour']);
  });

  it('reports an emission factor that is not a number', () => {
    const check = formToSettings(formWith((form) => (form.gridEmissionFactorGPerKwh = 'lots')), context);
    expect(check.errors).toEqual({ gridEmissionFactorGPerKwh: ['invalid emission factor "lots": enter a number such as 380'] });
  });

  it('names a negative emission factor', () => {
    const check = formToSettings(formWith((form) => (form.gridEmissionFactorGPerKwh = '-5')), context);
    const messages = check.errors.gridEmissionFactorGPerKwh ?? [];

    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('-5');
    expect(messages[0]).not.toMatch(/^Too small/);
  });

  it('names a night hour out of range', () => {
    const check = formToSettings(formWith((form) => (form.nightToHour = '25')), context);
    expect(check.errors).toEqual({ 'nightWindow.toHour': ['hour "25" is out of range: enter a whole number from 1 to 24'] });
  });

  it('rejects a hexadecimal price', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[0]!.flatPricePerKwh = '0x10')), context);

    expect(check.settings).toBeNull();
    expect(check.errors['tariffs[0].tariff.import.pricePerKwh']?.[0]).toContain('0x10');
  });

  it('rejects a price in exponent notation', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[0]!.flatPricePerKwh = '1e-1')), context);
    expect(check.errors['tariffs[0].tariff.import.pricePerKwh']).toEqual(['invalid price "1e-1": enter a number such as 0.25']);
  });

  it('reads a decimal comma', () => {
    const check = formToSettings(formWith((form) => (form.tariffs[0]!.flatPricePerKwh = '0,31')), context);
    expect(check.settings?.tariffs[0]?.tariff.import).toEqual({ kind: 'flat', pricePerKwh: 0.31 });
  });
});

describe('formToSettings formula warnings', () => {
  it('warns about an unknown meter without blocking the save', () => {
    const check = formToSettings(formWith((form) => (form.virtualMeters[0]!.formula = '{pv.WH} + {heat-pump.WH}')), context);
    expect(check.settings).not.toBeNull();
    expect(Object.keys(check.formulaWarnings)).toEqual(['virtualMeters[0].formula']);
    expect(check.formulaWarnings['virtualMeters[0].formula']![0]).toContain('unknown meter "heat-pump.WH"');
  });

  it('warns about energy mixed with power', () => {
    const check = formToSettings(formWith((form) => (form.virtualMeters[0]!.formula = '{pv.WH} + {grid-meter.W}')), context);
    expect(check.formulaWarnings['virtualMeters[0].formula']![0]).toContain('unit mismatch');
  });

  it('accepts MWh and MW meters', () => {
    const megaContext = { ...context, meters: [...context.meters, { id: 'plant.MWh', name: 'Plant energy', unit: 'MWh', kind: 'energy', role: 'pv', nodeId: null }] };
    const check = formToSettings(formWith((form) => (form.virtualMeters[0]!.formula = '{pv.WH} + {plant.MWh}')), megaContext);
    expect(check.formulaWarnings).toEqual({});
    expect(check.settings).not.toBeNull();
  });

  it('does not count a meter without an energy or power unit', () => {
    const check = formToSettings(formWith((form) => (form.virtualMeters[0]!.formula = '{weather.TempC} * 2')), context);
    expect(check.formulaWarnings['virtualMeters[0].formula']![0]).toContain('unknown meter "weather.TempC"');
  });

  it('warns about a cycle on the first meter of it', () => {
    const check = formToSettings(
      formWith((form) => {
        form.virtualMeters = [
          { id: 'a', name: 'A', unit: 'kWh', formula: 'b + {pv.WH}' },
          { id: 'b', name: 'B', unit: 'kWh', formula: 'a' },
        ];
      }),
      context,
    );
    expect(check.formulaWarnings['virtualMeters[0].formula']).toEqual(['virtual meters form a cycle: a -> b -> a; remove one of these references']);
  });

  it('rejects an id shaped like a point id', () => {
    const check = formToSettings(formWith((form) => (form.virtualMeters[0]!.id = 'pv.WH')), context);
    expect(check.errors['virtualMeters[0].id']?.[0]).toContain("A '.' is not allowed");
  });

  it('has no warnings for valid formulas', () => {
    expect(formToSettings(settingsToForm(fullSettings), context).formulaWarnings).toEqual({});
  });
});
