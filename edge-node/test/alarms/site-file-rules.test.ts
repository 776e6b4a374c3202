import { describe, expect, it } from 'vitest';
import { ConfigError, resolveSiteConfig } from '../../src/config/load';

const site = { id: 'rules-site', name: 'Rules site', timeZone: 'UTC' };
const devices = [
  { key: 'meter', driver: 'modbus-tcp', connection: { host: '127.0.0.1', port: 15021 }, points: [{ key: 'powerW', address: 0, unit: 'W' }] },
  { key: 'inverter', driver: 'modbus-tcp', template: 'sunspec', connection: { host: '127.0.0.1', port: 15022 } },
];

/** Resolves a site document with `alarms` and returns the issues of the ConfigError it throws. */
function issuesOf(alarms: unknown): string[] {
  try {
    resolveSiteConfig({ site, devices, alarms });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the alarms to be rejected');
}

describe('site file alarms', () => {
  it('reads rules with their defaults', () => {
    const config = resolveSiteConfig({
      site,
      devices,
      alarms: [{ id: 'import-high', name: 'Import high', severity: 'warning', point: 'meter.powerW', condition: { type: 'high', limit: 100 } }],
    });

    expect(config.alarms).toEqual([
      {
        id: 'import-high',
        name: 'Import high',
        severity: 'warning',
        enabled: true,
        point: 'meter.powerW',
        condition: { type: 'high', limit: 100, deadband: 0, onDelayS: 0, offDelayS: 0 },
      },
    ]);
  });

  it('names a misspelt point of a fixed point list', () => {
    const issues = issuesOf([{ id: 'r', name: 'R', severity: 'info', point: 'meter.powerWW', condition: { type: 'high', limit: 1 } }]);

    expect(issues).toEqual(['alarms[0].point: device "meter" has no point "powerWW"; check the spelling against its points or template']);
  });

  it('names an unknown device and lists the known ones', () => {
    const issues = issuesOf([{ id: 'r', name: 'R', severity: 'info', point: null, condition: { type: 'device_offline', device: 'nosuch' } }]);

    expect(issues).toEqual(['alarms[0].condition.device: the site has no device "nosuch"; devices: meter, inverter']);
  });

  it('refuses a point id without a device', () => {
    const issues = issuesOf([{ id: 'r', name: 'R', severity: 'info', point: 'powerW', condition: { type: 'high', limit: 1 } }]);

    expect(issues[0]).toMatch(/^alarms\[0\]\.point: "powerW" is not a point id/);
  });

  it('accepts any point of a SunSpec device, found only by discovery', () => {
    const config = resolveSiteConfig({
      site,
      devices,
      alarms: [{ id: 'r', name: 'R', severity: 'info', point: 'inverter.m103.W', condition: { type: 'high', limit: 1 } }],
    });

    expect(config.alarms.map((rule) => rule.point)).toEqual(['inverter.m103.W']);
  });

  it('refuses a stale time shorter than two poll intervals', () => {
    const issues = issuesOf([{ id: 'r', name: 'R', severity: 'info', point: 'meter.powerW', condition: { type: 'stale', afterS: 5 } }]);

    expect(issues).toEqual([
      'alarms[0].condition.afterS: 5 s is less than two poll intervals of device "meter" (5 s), so the alarm would come and go between samples; use at least 10',
    ]);
  });

  it('refuses a rate window shorter than two poll intervals', () => {
    const issues = issuesOf([{ id: 'r', name: 'R', severity: 'info', point: 'meter.powerW', condition: { type: 'rate_of_change', maxChangePerMinute: 10, windowS: 6 } }]);

    expect(issues[0]).toMatch(/^alarms\[0\]\.condition\.windowS: 6 s is less than two poll intervals/);
  });

  it('defaults to no rules', () => {
    expect(resolveSiteConfig({ site, devices }).alarms).toEqual([]);
  });

  it.each([
    {
      case: 'a duplicate id',
      alarms: [
        { id: 'a', name: 'A', severity: 'info', point: 'meter.powerW', condition: { type: 'high', limit: 1 } },
        { id: 'a', name: 'B', severity: 'info', point: 'meter.powerW', condition: { type: 'low', limit: 0 } },
      ],
      issue: 'alarms[1].id: duplicate alarm rule id "a"',
    },
    {
      case: 'an unknown condition type',
      alarms: [{ id: 'a', name: 'A', severity: 'info', point: 'meter.powerW', condition: { type: 'above', limit: 1 } }],
      issue: 'alarms[0].condition.type',
    },
    {
      case: 'a negative deadband',
      alarms: [{ id: 'a', name: 'A', severity: 'info', point: 'meter.powerW', condition: { type: 'high', limit: 1, deadband: -1 } }],
      issue: 'alarms[0].condition.deadband',
    },
    {
      case: 'a rule without a point that is no device_offline rule',
      alarms: [{ id: 'a', name: 'A', severity: 'info', point: null, condition: { type: 'stale', afterS: 60 } }],
      issue: 'alarms[0].point: a rule without a point must be a device_offline rule that names its device',
    },
  ])('rejects $case', ({ alarms, issue }) => {
    const issues = issuesOf(alarms);

    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(issue);
  });
});
