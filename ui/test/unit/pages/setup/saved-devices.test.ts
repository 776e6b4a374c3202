import { describe, expect, it } from 'vitest';
import type { DeviceRow } from '../../../../src/pages/setup/device-rows';
import { hasUnsavedChanges, knownSavedDevices, rowsFromSaved } from '../../../../src/pages/setup/saved-devices';
import type { SetupDeviceRequest } from '../../../../src/pages/setup/setup-types';

const saved: SetupDeviceRequest[] = [
  { name: 'Grid meter', template: 'sunspec', protocol: 'modbus-tcp', host: '127.0.0.1', port: 15503, unitId: 1 },
  { name: 'AHU', template: 'bacnet/flexlab-ahu', protocol: 'bacnet', address: '127.0.0.1', port: 47808, deviceInstance: 2001 },
];

const scanned: DeviceRow = {
  key: 'modbus-tcp:127.0.0.1:15504:1',
  selected: false,
  name: 'Modbus device 127.0.0.1 unit 1',
  template: '',
  protocol: 'modbus-tcp',
  host: '127.0.0.1',
  port: 15504,
  unitId: 1,
  details: 'Modbus device without SunSpec',
  suggestedTemplates: [],
};

describe('knownSavedDevices', () => {
  it('trusts the saved list while the count agrees', () => {
    expect(knownSavedDevices(saved, 2)).toEqual(saved);
  });

  it('returns null when another tab saved a different number', () => {
    expect(knownSavedDevices(saved, 3)).toBeNull();
  });

  it('returns null when this tab saved nothing', () => {
    expect(knownSavedDevices(null, 0)).toBeNull();
  });
});

describe('rowsFromSaved', () => {
  it('turns saved devices into ticked rows', () => {
    const rows = rowsFromSaved(saved);
    expect(rows.map((row) => [row.key, row.selected, row.host])).toEqual([
      ['saved-1', true, '127.0.0.1'],
      ['saved-2', true, '127.0.0.1'],
    ]);
    expect(rows[1]!.deviceInstance).toBe(2001);
  });
});

describe('hasUnsavedChanges', () => {
  it('sees no change in the rows of the saved devices', () => {
    expect(hasUnsavedChanges([...rowsFromSaved(saved), scanned], saved)).toBe(false);
  });

  it('sees an unticked saved device', () => {
    const rows = rowsFromSaved(saved).map((row, index) => (index === 1 ? { ...row, selected: false } : row));
    expect(hasUnsavedChanges(rows, saved)).toBe(true);
  });

  it('sees a renamed device', () => {
    const rows = rowsFromSaved(saved).map((row, index) => (index === 0 ? { ...row, name: 'Main meter' } : row));
    expect(hasUnsavedChanges(rows, saved)).toBe(true);
  });

  it('sees a newly ticked device', () => {
    expect(hasUnsavedChanges([...rowsFromSaved(saved), { ...scanned, selected: true }], saved)).toBe(true);
  });

  it('counts only ticked rows when the saved devices are unknown', () => {
    expect(hasUnsavedChanges([scanned], null)).toBe(false);
    expect(hasUnsavedChanges([{ ...scanned, selected: true }], null)).toBe(true);
  });
});
