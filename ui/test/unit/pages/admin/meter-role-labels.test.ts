import { meterRoles } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { ROLE_LABELS, ROLE_SETTING_PLACES, ROLES_TO_ASSIGN } from '../../../../src/components/energy/energy-labels';
import { METER_ROLE_LABELS } from '../../../../src/pages/admin/meter-roles';

describe('meter role labels', () => {
  it.each(meterRoles)('labels %s in the role select', (role) => {
    expect(METER_ROLE_LABELS[role]).toMatch(/\S/);
  });

  it.each(meterRoles)('labels %s on the energy pages', (role) => {
    expect(ROLE_LABELS[role]).toMatch(/\S/);
  });

  it('gives every role its own select label', () => {
    expect(new Set(meterRoles.map((role) => METER_ROLE_LABELS[role])).size).toBe(meterRoles.length);
  });

  it('marks the one-way roles', () => {
    for (const role of ['grid-import', 'grid-export', 'battery-charge', 'battery-discharge'] as const) expect(METER_ROLE_LABELS[role]).toContain('one-way');
  });
});

describe('empty state of the energy page', () => {
  it.each(meterRoles)('names the role %s', (role) => {
    expect(ROLES_TO_ASSIGN.split(/[\s,()]+/)).toContain(role);
  });

  it('names the navigation path on the hub', () => {
    expect(ROLE_SETTING_PLACES.cloud).toBe("Device settings in the site's navigation > the device > Meter roles");
  });

  it('names the roles map on the edge', () => {
    expect(ROLE_SETTING_PLACES.edge).toContain('roles map');
    expect(ROLE_SETTING_PLACES.edge).toContain('site file');
  });
});
