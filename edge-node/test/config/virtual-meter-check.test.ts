import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadSiteConfig, resolveSiteConfig } from '../../src/config/load';
import { buildModelPoints, modelKeyPrefix, parseSunspecPointKey } from '../../src/drivers/modbus/sunspec-points';
import { loadSunspecModel, sunspecModelIds } from '../../src/templates/sunspec/models';

const site = { id: 'test-site', name: 'Test site', timeZone: 'Europe/Paris' };

/** A Modbus TCP meter with fixed points: power in W, an energy counter in Wh and a temperature. */
const meter = {
  key: 'meter',
  driver: 'modbus-tcp',
  connection: { host: '127.0.0.1', port: 15021 },
  points: [
    { key: 'powerW', address: 0, unit: 'W' },
    { key: 'energyWh', address: 2, unit: 'Wh', kind: 'counter' },
    { key: 'tempC', address: 4, unit: 'C' },
  ],
};

/** A SunSpec device whose points come from discovery; `sunspec` overrides the discovery settings. */
const sunspecDevice = (key: string, sunspec: Record<string, unknown> = {}) => ({
  key,
  driver: 'modbus-tcp',
  template: 'sunspec',
  connection: { host: '127.0.0.1', port: 15022 },
  ...(Object.keys(sunspec).length === 0 ? {} : { sunspec }),
});

const devices = [meter, sunspecDevice('pv')];

/** A valid virtual meter placed first, so that the meter under test is `energy.virtualMeters[1]`. */
const firstMeter = { id: 'meter_energy', name: 'Meter energy', unit: 'Wh', formula: '{meter.energyWh}' };

/** Builds a site document with `devices` and the virtual meters `firstMeter` and `{ id: 'checked', formula }`. */
function siteWith(formula: string, unit = 'Wh', siteDevices: unknown[] = devices) {
  return {
    site,
    devices: siteDevices,
    energy: { virtualMeters: [firstMeter, { id: 'checked', name: 'Checked', unit, formula }] },
  };
}

/** Resolves `document` and returns the issues of the ConfigError it throws. */
function issuesOf(document: unknown): string[] {
  try {
    resolveSiteConfig(document);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the site document to be rejected');
}

const issue = (message: string) => `energy.virtualMeters[1].formula: ${message}`;

describe('virtual meter check at load', () => {
  it('loads fixed and SunSpec references', () => {
    const config = resolveSiteConfig(siteWith('{meter.energyWh} + {pv.m103.WH} - {pv.m203.TotWhExp} + meter_energy'));

    expect(config.energy?.virtualMeters.map((definition) => definition.id)).toEqual(['meter_energy', 'checked']);
  });

  it('resolves a second instance and a repetition', () => {
    const config = resolveSiteConfig(siteWith('{pv.m160.2.DCW} + {pv.m203_2.W} + {pv.m103.DCW}', 'kW'));

    expect(config.energy?.virtualMeters[1]?.formula).toBe('{pv.m160.2.DCW} + {pv.m203_2.W} + {pv.m103.DCW}');
  });

  it('takes units of SunSpec points from the model', () => {
    const issues = issuesOf(siteWith('{pv.m160.1.DCWH} + {pv.m203_2.W}'));

    expect(issues).toEqual([
      issue(
        'unit mismatch at column 18 in the formula of "checked": "pv.m160.1.DCWH" is energy (Wh) but "pv.m203_2.W" is power (W); add or subtract only energy with energy or power with power',
      ),
    ]);
  });

  it('rejects an unknown fixed point', () => {
    const issues = issuesOf(siteWith('{meter.importWh} - {meter.energyWh}'));

    expect(issues).toEqual([issue('unknown meter "meter.importWh" in the formula of "checked"; known meters: checked, meter.energyWh, meter.powerW, meter_energy')]);
  });

  it('rejects a point of an unknown device', () => {
    const issues = issuesOf(siteWith('{grid.importWh}'));

    expect(issues).toEqual([issue('unknown meter "grid.importWh" in the formula of "checked"; known meters: checked, meter.energyWh, meter.powerW, meter_energy')]);
  });

  it('rejects a fixed point without an energy unit', () => {
    const issues = issuesOf(siteWith('{meter.energyWh} + {meter.tempC}'));

    expect(issues).toEqual([issue('meter "meter.tempC" in the formula of "checked" is not an energy or power point: it has the unit C; use a point in Wh, kWh, MWh, W, kW or MW')]);
  });

  it('rejects a SunSpec model that is not shipped', () => {
    const issues = issuesOf(siteWith('{pv.m999.TotWhImp} + {meter.energyWh}'));

    expect(issues).toEqual([
      issue(
        'unknown meter "pv.m999.TotWhImp" in the formula of "checked": SunSpec model 999 is not shipped with the edge node, so discovery on device "pv" skips it; ' +
          `use a point of a shipped model (${sunspecModelIds().join(', ')}) or add model_999.json to templates/sunspec/`,
      ),
    ]);
  });

  it('rejects a point the SunSpec model lacks', () => {
    const issues = issuesOf(siteWith('{pv.m103.Wh}'));

    expect(issues).toEqual([issue('unknown meter "pv.m103.Wh" in the formula of "checked": SunSpec model 103 has no point "Wh"; its energy and power points are W, WH, DCW')]);
  });

  it('rejects a SunSpec point without an energy unit', () => {
    const issues = issuesOf(siteWith('{pv.m203.A}'));

    expect(issues).toEqual([
      issue('meter "pv.m203.A" in the formula of "checked" is not an energy or power point: point "A" of SunSpec model 203 has the unit A; use a point in Wh, kWh, MWh, W, kW or MW'),
    ]);
  });

  it('rejects a key that discovery never builds', () => {
    const issues = issuesOf(siteWith('{pv.WH}'));

    expect(issues).toEqual([
      issue(
        'unknown meter "pv.WH" in the formula of "checked": device "pv" is a SunSpec device, so write its point keys as m<model>.<point> (m103.W), ' +
          'm<model>_<instance>.<point> for a second or later instance of a model (m103_2.W), or m<model>.<repetition>.<point> for a point of a repeating block (m160.1.DCW)',
      ),
    ]);
  });

  it('points a fixed-block key to the repeating block', () => {
    const issues = issuesOf(siteWith('{pv.m160.DCW}', 'W'));

    expect(issues).toEqual([
      issue('unknown meter "pv.m160.DCW" in the formula of "checked": SunSpec model 160 has "DCW" in its repeating block, not in its fixed block; write m160.<repetition>.DCW, such as m160.1.DCW'),
    ]);
  });

  it('points a repetition key to the fixed block', () => {
    const issues = issuesOf(siteWith('{pv.m103_2.1.W}', 'W'));

    expect(issues).toEqual([issue('unknown meter "pv.m103_2.1.W" in the formula of "checked": SunSpec model 103 has "W" in its fixed block, not in a repeating block; write m103_2.W')]);
  });

  it('rejects a model left out of sunspec.models', () => {
    const issues = issuesOf(siteWith('{pv.m203.TotWhImp}', 'Wh', [meter, sunspecDevice('pv', { models: [1, 103] })]));

    expect(issues).toEqual([
      issue('unknown meter "pv.m203.TotWhImp" in the formula of "checked": device "pv" discovers only SunSpec models 1, 103 (sunspec.models), so model 203 gets no points; add 203 to sunspec.models or use a point of a listed model'),
    ]);
  });

  it('rejects an empty sunspec.models', () => {
    const issues = issuesOf(siteWith('{pv.m203.TotWhImp}', 'Wh', [meter, sunspecDevice('pv', { models: [] })]));

    expect(issues).toEqual([
      issue('unknown meter "pv.m203.TotWhImp" in the formula of "checked": device "pv" discovers no SunSpec models because sunspec.models is empty; add 203 to sunspec.models or remove the list'),
    ]);
  });

  it('rejects energy added to power', () => {
    const issues = issuesOf(siteWith('{meter.energyWh} + {pv.m103.W}'));

    expect(issues).toEqual([
      issue(
        'unit mismatch at column 18 in the formula of "checked": "meter.energyWh" is energy (Wh) but "pv.m103.W" is power (W); add or subtract only energy with energy or power with power',
      ),
    ]);
  });

  it('rejects a cycle', () => {
    const document = {
      site,
      devices,
      energy: {
        virtualMeters: [
          { id: 'first', name: 'First', unit: 'Wh', formula: '{meter.energyWh} + second' },
          { id: 'second', name: 'Second', unit: 'Wh', formula: 'first - {pv.m103.WH}' },
        ],
      },
    };

    expect(issuesOf(document)).toEqual(['energy.virtualMeters[0].formula: virtual meters form a cycle: first -> second -> first; remove one of these references']);
  });

  it('reports each bad reference of a formula', () => {
    const issues = issuesOf(siteWith('{pv.m103.Wh} + {pv.m999.W} + {meter.missing}'));

    expect(issues).toHaveLength(3);
    expect(issues[0]).toBe(issue('unknown meter "pv.m103.Wh" in the formula of "checked": SunSpec model 103 has no point "Wh"; its energy and power points are W, WH, DCW'));
    expect(issues[1]).toMatch(/^energy\.virtualMeters\[1\]\.formula: unknown meter "pv\.m999\.W" in the formula of "checked": SunSpec model 999 is not shipped/);
    expect(issues[2]).toBe(issue('unknown meter "meter.missing" in the formula of "checked"; known meters: checked, meter.energyWh, meter.powerW, meter_energy'));
  });
});

describe('parseSunspecPointKey', () => {
  it('splits the key forms', () => {
    expect(parseSunspecPointKey('m203.TotWhImp')).toEqual({ modelId: 203, instance: 1, repetition: undefined, pointName: 'TotWhImp' });
    expect(parseSunspecPointKey('m203_2.W')).toEqual({ modelId: 203, instance: 2, repetition: undefined, pointName: 'W' });
    expect(parseSunspecPointKey('m160.2.DCW')).toEqual({ modelId: 160, instance: 1, repetition: 2, pointName: 'DCW' });
    expect(parseSunspecPointKey('m160_12.10.DCW')).toEqual({ modelId: 160, instance: 12, repetition: 10, pointName: 'DCW' });
  });

  for (const key of ['WH', 'm103', 'm103.', 'x103.W', 'm103_1.W', 'm0103.W', 'm103_02.W', 'm160.0.DCW', 'm160.1.2.DCW', 'm103.W-1']) {
    it(`rejects the key "${key}"`, () => {
      expect(parseSunspecPointKey(key)).toBeUndefined();
    });
  }

  it('parses every key that discovery builds', () => {
    for (const modelId of sunspecModelIds()) {
      const model = loadSunspecModel(modelId);
      const length = model.fixedSize + 2 * (model.repeating?.size ?? 0);
      const { points } = buildModelPoints(model, 40_002, length, modelKeyPrefix(modelId, 2));

      for (const point of points) {
        const key = parseSunspecPointKey(point.key);
        const block = key?.repetition === undefined ? model.points : model.repeating?.points;

        expect(key, point.key).toMatchObject({ modelId, instance: 2 });
        expect(block?.some((candidate) => candidate.name === key?.pointName), point.key).toBe(true);
      }
    }
  });
});

describe('demo site files', () => {
  const sitesDir = fileURLToPath(new URL('../../sites/', import.meta.url));
  const files = readdirSync(sitesDir).filter((file) => file.endsWith('.yaml'));

  it('finds the demo site files', () => {
    expect(files).toContain('demo-site.yaml');
    expect(files).toContain('demo-site-b.yaml');
  });

  for (const file of files) {
    it(`loads ${file} with its virtual meters`, () => {
      const config = loadSiteConfig(`${sitesDir}${file}`);

      expect(config.energy?.virtualMeters.length).toBeGreaterThan(0);
    });
  }
});
