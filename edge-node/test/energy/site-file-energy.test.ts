import { describe, expect, it } from 'vitest';
import { ConfigError, resolveSiteConfig } from '../../src/config/load';

const site = { id: 'standalone', name: 'Standalone site', timeZone: 'Europe/Paris' };
const tariff = (currency: string) => ({ currency, timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh: 0.2 } });

/** Resolves a site file with the given `energy` section and returns the issues, or [] when it is valid. */
function energyIssues(energy: unknown): string[] {
  try {
    resolveSiteConfig({ site, energy });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}

describe('site file energy section', () => {
  it('fills the defaults of the settings', () => {
    const config = resolveSiteConfig({ site, energy: { currency: 'EUR', tariffs: [{ validFrom: '2026-01-01', tariff: tariff('EUR') }] } });

    expect(config.energy).toEqual({
      currency: 'EUR',
      tariffs: [{ validFrom: '2026-01-01', tariff: tariff('EUR') }],
      virtualMeters: [],
      gridEmissionFactorGPerKwh: null,
      nightWindow: { fromHour: 0, toHour: 5 },
    });
  });

  it('is optional', () => {
    expect(resolveSiteConfig({ site }).energy).toBeUndefined();
  });

  it('needs a currency with tariffs', () => {
    expect(energyIssues({ tariffs: [{ validFrom: '2026-01-01', tariff: tariff('EUR') }] })).toEqual(['energy.currency: missing currency: the tariffs are priced in EUR, so set currency: EUR']);
  });

  it('rejects a tariff in another currency', () => {
    const issues = energyIssues({ currency: 'EUR', tariffs: [{ validFrom: '2026-01-01', tariff: tariff('CHF') }] });

    expect(issues).toEqual(["energy.tariffs[0].tariff.currency: tariff currency CHF differs from the site's currency EUR: price every tariff in EUR"]);
  });

  it('rejects an unknown field', () => {
    expect(energyIssues({ currency: 'EUR', tarifs: [] })).toEqual(['energy: unknown field "tarifs"']);
  });

  it('checks the settings as the hub does', () => {
    const issues = energyIssues({
      virtualMeters: [
        { id: 'a', name: 'A', unit: 'Wh', formula: '{m.x} +' },
        { id: 'a', name: 'A again', unit: 'Wh', formula: '{m.x}' },
      ],
    });

    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^energy\.virtualMeters\[0\]\.formula: invalid formula of "a"/);
    expect(issues[1]).toBe('energy.virtualMeters[1].id: virtual meter id "a" is used twice');
  });

  it('rejects a currency that is not an ISO 4217 code', () => {
    expect(energyIssues({ currency: 'euro' })).toEqual(['energy.currency: invalid currency "euro": expected an ISO 4217 code such as EUR']);
  });
});
