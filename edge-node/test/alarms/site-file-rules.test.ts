import { describe, expect, it } from 'vitest';
import { ConfigError, resolveSiteConfig } from '../../src/config/load';

const site = { id: 'rules-site', name: 'Rules site', timeZone: 'UTC' };
const devices = [{ key: 'meter', driver: 'modbus-tcp', connection: { host: '127.0.0.1', port: 15021 }, points: [{ key: 'powerW', address: 0, unit: 'W' }] }];

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
