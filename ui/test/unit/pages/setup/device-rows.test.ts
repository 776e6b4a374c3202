import { describe, expect, it } from 'vitest';
import { checkSelectedRows, mergeFound, rowFromFound, templateChoices, toDeviceRequests } from '../../../../src/pages/setup/device-rows';
import type { FoundBacnetDevice, FoundModbusDevice, SetupTemplate } from '../../../../src/pages/setup/setup-types';

const meter: FoundModbusDevice = {
  key: 'modbus-tcp:127.0.0.1:15503:1',
  protocol: 'modbus-tcp',
  host: '127.0.0.1',
  port: 15503,
  unitId: 1,
  sunspec: { manufacturer: 'SimTestLab', model: 'Meter 203', serialNumber: 'SN-1', version: '1.0', models: [1, 203] },
  suggestedTemplates: ['sunspec'],
};

const ahu: FoundBacnetDevice = {
  key: 'bacnet:127.0.0.1:47809:2001',
  protocol: 'bacnet',
  address: '127.0.0.1',
  port: 47809,
  deviceInstance: 2001,
  vendorId: 999,
  vendorName: '',
  objectName: 'AHU cell A',
  modelName: 'Simulator',
  suggestedTemplates: [],
};

const templates: SetupTemplate[] = [
  { id: 'sunspec', name: 'SunSpec device', protocol: 'modbus-tcp', description: '' },
  { id: 'eastron-sdm630', name: 'Eastron SDM630', protocol: 'modbus-tcp', description: '' },
  { id: 'carlo-gavazzi-em24', name: 'Carlo Gavazzi EM24', protocol: 'modbus-tcp', description: '' },
  { id: 'bacnet/flexlab-ahu', name: 'FLEXLAB air handler', protocol: 'bacnet', description: '' },
];

describe('rowFromFound', () => {
  it('names a SunSpec device after its maker and model', () => {
    const row = rowFromFound(meter);
    expect(row.name).toBe('SimTestLab Meter 203');
    expect(row.template).toBe('sunspec');
    expect(row.selected).toBe(false);
    expect(row.details).toContain('models 1, 203');
  });

  it('names a BACnet device after its object name', () => {
    const row = rowFromFound(ahu);
    expect(row.name).toBe('AHU cell A');
    expect(row.template).toBe('');
    expect(row.details).toContain('vendor 999');
  });

  it('names a Modbus device without SunSpec after its address', () => {
    expect(rowFromFound({ ...meter, sunspec: null }).name).toBe('Modbus device 127.0.0.1 unit 1');
  });

  it('preselects no template for a Modbus device without SunSpec', () => {
    const suggested = rowFromFound({ ...meter, sunspec: null, suggestedTemplates: ['carlo-gavazzi-em24', 'eastron-sdm630'] });
    expect(suggested.template).toBe('');
    expect(suggested.suggestedTemplates).toEqual(['carlo-gavazzi-em24', 'eastron-sdm630']);
    expect(rowFromFound({ ...meter, sunspec: null, suggestedTemplates: [] }).template).toBe('');
  });

  it('cannot save a device without SunSpec until a template is chosen', () => {
    const row = { ...rowFromFound({ ...meter, sunspec: null, suggestedTemplates: [] }), selected: true };
    expect(checkSelectedRows([row]).map((problem) => problem.field)).toEqual(['template']);
    expect(checkSelectedRows([{ ...row, template: 'eastron-sdm630' }])).toEqual([]);
  });
});

describe('mergeFound', () => {
  it('skips a found device already in the table under another key', () => {
    const saved = { ...rowFromFound(meter), key: 'saved-1', name: 'Grid meter', selected: true };
    const merged = mergeFound([saved], [meter, ahu]);
    expect(merged.map((row) => row.key)).toEqual(['saved-1', ahu.key]);
    expect(merged[0]!.name).toBe('Grid meter');
  });

  it('keeps edits of rows already in the table', () => {
    const edited = [{ ...rowFromFound(meter), name: 'Grid meter', selected: true }];
    const merged = mergeFound(edited, [ahu, meter]);
    expect(merged.map((row) => row.key)).toEqual([meter.key, ahu.key]);
    expect(merged[0]!.name).toBe('Grid meter');
    expect(merged[0]!.selected).toBe(true);
  });
});

describe('templateChoices', () => {
  it('puts suggested templates first and others of the protocol by name', () => {
    const choices = templateChoices(templates, 'modbus-tcp', ['sunspec']);
    expect(choices.suggested.map((template) => template.id)).toEqual(['sunspec']);
    expect(choices.others.map((template) => template.id)).toEqual(['carlo-gavazzi-em24', 'eastron-sdm630']);
  });

  it('skips a suggested template the registry does not have', () => {
    expect(templateChoices(templates, 'bacnet', ['gone']).suggested).toEqual([]);
  });
});

describe('checkSelectedRows', () => {
  it('accepts named rows with templates', () => {
    expect(checkSelectedRows([{ ...rowFromFound(meter), selected: true }])).toEqual([]);
  });

  it('ignores rows that are not selected', () => {
    expect(checkSelectedRows([{ ...rowFromFound(ahu), name: '' }])).toEqual([]);
  });

  it('reports a missing name and template', () => {
    const problems = checkSelectedRows([{ ...rowFromFound(ahu), selected: true, name: ' ' }]);
    expect(problems.map((problem) => problem.field)).toEqual(['name', 'template']);
  });

  it('reports a name used twice', () => {
    const first = { ...rowFromFound(meter), selected: true, name: 'Meter' };
    const second = { ...rowFromFound({ ...meter, key: 'other', unitId: 2 }), selected: true, name: 'meter' };
    const problems = checkSelectedRows([first, second]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.key).toBe('other');
  });
});

describe('toDeviceRequests', () => {
  it('sends the selected rows with their protocol fields', () => {
    const rows = [{ ...rowFromFound(meter), selected: true, name: ' Grid meter ' }, { ...rowFromFound(ahu), selected: true, template: 'bacnet/flexlab-ahu' }, rowFromFound({ ...meter, key: 'unused' })];
    expect(toDeviceRequests(rows)).toEqual([
      { name: 'Grid meter', template: 'sunspec', protocol: 'modbus-tcp', host: '127.0.0.1', port: 15503, unitId: 1 },
      { name: 'AHU cell A', template: 'bacnet/flexlab-ahu', protocol: 'bacnet', address: '127.0.0.1', port: 47809, deviceInstance: 2001 },
    ]);
  });
});
