import { deviceSchema } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { expandBacnetTemplate, listBacnetTemplates, loadBacnetTemplate, resolveBacnetTemplate } from '../../../src/drivers/bacnet/bacnet-template';
import { unitOfEngineeringUnits } from '../../../src/drivers/bacnet/engineering-units';
import { flexlabAhuObjects } from '../../../src/simulate/bacnet/flexlab-ahu';

describe('BACnet templates', () => {
  it('ships the FLEXLAB air handler', () => {
    expect(listBacnetTemplates()).toContain('flexlab-ahu');
  });

  it.each(listBacnetTemplates())('instantiates %s as a device', (name) => {
    const template = loadBacnetTemplate(name);
    expect(template.title.length).toBeGreaterThan(0);
    expect(new Set(template.points.map((point) => point.key)).size).toBe(template.points.length);
    const device = deviceSchema.parse(
      expandBacnetTemplate({ key: 'ahu', driver: 'bacnet', template: name, connection: { deviceInstance: 2001, address: '127.0.0.1:47809' } }),
    );
    expect(device.points.map((point) => point.key)).toEqual(template.points.map((point) => point.key));
  });

  it('matches the objects the simulator serves', () => {
    for (const point of loadBacnetTemplate('flexlab-ahu').points) {
      const object = flexlabAhuObjects.find((candidate) => candidate.objectType === point.objectType && candidate.instance === point.instance);
      expect(object, point.key).toBeDefined();
      expect(unitOfEngineeringUnits(object!.units), point.key).toBe(point.unit);
      expect(point.writable, point.key).toBe(object!.commandable === true);
    }
  });

  it('lets an explicit point replace a template point', () => {
    const expanded = expandBacnetTemplate({
      key: 'ahu',
      driver: 'bacnet',
      template: 'flexlab-ahu',
      points: [
        { key: 'zone_temp', objectType: 'analog-input', instance: 1, unit: 'F', scale: 1.8, offset: 32 },
        { key: 'extra', objectType: 'binary-input', instance: 9 },
      ],
    });
    const points = expanded.points as Record<string, unknown>[];
    expect(points[0]).toMatchObject({ key: 'zone_temp', unit: 'F', scale: 1.8 });
    expect(points.at(-1)).toMatchObject({ key: 'extra' });
    expect(points).toHaveLength(loadBacnetTemplate('flexlab-ahu').points.length + 1);
  });

  it('names the bad field of a template', () => {
    const document = { title: 't', manufacturer: 'm', document: 'd', points: [{ key: 'p', objectType: 'analog-inpt', instance: 1 }] };
    expect(() => resolveBacnetTemplate('broken', document)).toThrow(/BACnet template "broken" points\[0\] \(p\): objectType/);
    expect(() => loadBacnetTemplate('nothing')).toThrow('unknown BACnet template "nothing"; known templates: flexlab-ahu');
  });
});
