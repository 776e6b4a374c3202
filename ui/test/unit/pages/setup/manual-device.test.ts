import { describe, expect, it } from 'vitest';
import { parseManualDevice, type ManualDeviceInput } from '../../../../src/pages/setup/manual-device';

const modbus: ManualDeviceInput = { protocol: 'modbus-tcp', name: 'Sub-meter', host: '192.168.1.20', port: '', unitId: '', deviceInstance: '', template: 'eastron-sdm630' };

function messageOf(input: ManualDeviceInput): string {
  const parsed = parseManualDevice(input, 1);
  return parsed.ok ? '' : parsed.message;
}

describe('parseManualDevice', () => {
  it('fills the default port and unit id of Modbus TCP', () => {
    const parsed = parseManualDevice(modbus, 3);
    expect(parsed).toMatchObject({ ok: true, value: { key: 'manual-3', port: 502, unitId: 1, selected: true } });
  });

  it('reads a BACnet device with its instance', () => {
    const parsed = parseManualDevice({ ...modbus, protocol: 'bacnet', template: 'bacnet/flexlab-ahu', deviceInstance: '2001' }, 1);
    expect(parsed).toMatchObject({ ok: true, value: { protocol: 'bacnet', port: 47808, deviceInstance: 2001 } });
  });

  const rejected: [string, ManualDeviceInput, string][] = [
    ['an empty name', { ...modbus, name: ' ' }, 'Enter a name'],
    ['a bad host', { ...modbus, host: 'not a host!' }, 'not an IPv4 address or host name'],
    ['an address part above 255', { ...modbus, host: '192.168.1.300' }, 'not an IPv4 address'],
    ['a port above 65535', { ...modbus, port: '70000' }, 'outside 1 to 65535'],
    ['a reserved unit id', { ...modbus, unitId: '250' }, 'outside 0 to 247'],
    ['no template', { ...modbus, template: '' }, 'Choose the template'],
    ['a BACnet device without instance', { ...modbus, protocol: 'bacnet', deviceInstance: '' }, 'device instance'],
  ];
  it.each(rejected)('rejects %s', (_case, input, message) => {
    expect(messageOf(input)).toContain(message);
  });
});
