import { describe, expect, it } from 'vitest';
import { fieldLabel, labelMessage } from '../../../../src/pages/setup/field-labels';

describe('fieldLabel', () => {
  const cases: [string, string, Parameters<typeof fieldLabel>[1], string | null][] = [
    ['names the cloud URL', 'cloudUrl', 'pair', 'Cloud URL'],
    ['names the site name', 'siteName', 'standalone', 'Site name'],
    ['names the network to scan', 'cidr', 'scan', 'Network to scan'],
    ['names a Modbus port by its list', 'modbusPorts.2', 'scan', 'Modbus TCP ports'],
    ['tells the pairing code from the setup code', 'code', 'pair', 'Pairing code'],
    ['names the setup code', 'code', 'unlock', 'Setup code'],
    ['leaves an unknown field unnamed', 'colour', 'scan', null],
  ];
  it.each(cases)('%s', (_case, parameter, action, label) => {
    expect(fieldLabel(parameter, action)).toBe(label);
  });

  it('names a device by position and name', () => {
    expect(fieldLabel('devices.1.template', 'devices', ['PV inverter', 'Grid meter'])).toBe('Device 2 "Grid meter", template');
  });

  it('names a device by position without its name', () => {
    expect(fieldLabel('devices.0.unitId', 'devices')).toBe('Device 1, unit id');
  });
});

describe('labelMessage', () => {
  it('replaces the field name with the label', () => {
    expect(labelMessage('cloudUrl: "ftp://x" must use http or https', 'cloudUrl', 'pair')).toBe('Cloud URL: "ftp://x" must use http or https');
  });

  it('drops the field name repeated as the first word', () => {
    expect(labelMessage('cidr: cidr "10.0.0.0/16" covers 65536 addresses', 'cidr', 'scan')).toBe('Network to scan: "10.0.0.0/16" covers 65536 addresses');
  });

  it('reads the field from the message without a parameter', () => {
    expect(labelMessage('siteName: give a site name of 1 to 200 characters', undefined, 'standalone')).toBe('Site name: give a site name of 1 to 200 characters');
  });

  it('adds the label to a message without the field prefix', () => {
    expect(labelMessage('must be at most 200 characters', 'siteName', 'standalone')).toBe('Site name: must be at most 200 characters');
  });

  it('keeps a message about an unknown field', () => {
    expect(labelMessage('body: the body is not valid JSON', 'body', 'scan')).toBe('body: the body is not valid JSON');
  });
});
