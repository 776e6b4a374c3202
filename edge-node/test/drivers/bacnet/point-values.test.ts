import { ApplicationTag, StatusFlags, StatusFlagsBitString } from '@bacnet-js/client';
import { bacnetPointSchema } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { DeviceRequestError } from '../../../src/drivers/errors';
import { covProcessId } from '../../../src/drivers/bacnet/cov-subscriptions';
import { decodeStatusFlags, decodeValue, qualityOf } from '../../../src/drivers/bacnet/point-values';
import { objectsPerRequest } from '../../../src/drivers/bacnet/property-reader';
import { encodeWriteValue } from '../../../src/drivers/bacnet/write-point';

function flags(...set: StatusFlags[]) {
  return decodeStatusFlags([{ type: ApplicationTag.BIT_STRING, value: new StatusFlagsBitString(...set) }]);
}

describe('status flags to quality', () => {
  const cases: [string, StatusFlags[], boolean | undefined, object][] = [
    ['no flag is good', [], undefined, { quality: 'good' }],
    ['in alarm stays good with a reason', [StatusFlags.IN_ALARM], undefined, { quality: 'good', reason: 'in_alarm' }],
    ['fault is bad', [StatusFlags.FAULT], undefined, { quality: 'bad', reason: 'fault' }],
    ['overridden is uncertain', [StatusFlags.OVERRIDDEN], undefined, { quality: 'uncertain', reason: 'overridden' }],
    ['out of service is uncertain', [StatusFlags.OUT_OF_SERVICE], undefined, { quality: 'uncertain', reason: 'out_of_service' }],
    ['the out-of-service property alone counts', [], true, { quality: 'uncertain', reason: 'out_of_service' }],
    ['fault wins over every other flag', [StatusFlags.IN_ALARM, StatusFlags.OVERRIDDEN, StatusFlags.FAULT, StatusFlags.OUT_OF_SERVICE], undefined, { quality: 'bad', reason: 'fault' }],
    ['out of service wins over overridden', [StatusFlags.OVERRIDDEN, StatusFlags.OUT_OF_SERVICE], undefined, { quality: 'uncertain', reason: 'out_of_service' }],
  ];
  it.each(cases)('%s', (_name, set, outOfService, expected) => {
    expect(qualityOf(flags(...set), outOfService)).toEqual(expected);
  });

  it('decodes each flag from its bit', () => {
    expect(flags(StatusFlags.OVERRIDDEN)).toEqual({ inAlarm: false, fault: false, overridden: true, outOfService: false });
    expect(decodeStatusFlags([{ type: ApplicationTag.REAL, value: 1 }])).toBeUndefined();
  });
});

describe('decodeValue', () => {
  const point = { scale: 0.5, offset: 10 };

  it('applies scale and offset to numbers', () => {
    expect(decodeValue(point, [{ type: ApplicationTag.REAL, value: 4 }])).toEqual({ ok: true, value: 12 });
    expect(decodeValue({ scale: 1, offset: 0 }, [{ type: ApplicationTag.ENUMERATED, value: 1 }])).toEqual({ ok: true, value: 1 });
    expect(decodeValue({ scale: 1, offset: 0 }, [{ type: ApplicationTag.UNSIGNED_INTEGER, value: 3 }])).toEqual({ ok: true, value: 3 });
  });

  it('maps a property error to its reason', () => {
    const unknownObject = [{ type: ApplicationTag.ERROR, value: { errorClass: 1, errorCode: 31 } }];
    expect(decodeValue(point, unknownObject)).toMatchObject({ ok: false, reason: 'config', detail: 'object error unknown-object' });
    const denied = [{ type: ApplicationTag.ERROR, value: { errorClass: 2, errorCode: 27 } }];
    expect(decodeValue(point, denied)).toMatchObject({ ok: false, reason: 'exception' });
  });

  it('rejects lists and unsupported types', () => {
    expect(decodeValue(point, [])).toMatchObject({ ok: false, reason: 'decode' });
    expect(decodeValue(point, [{ type: ApplicationTag.DATE, value: new Date() }])).toMatchObject({ ok: false, reason: 'decode' });
  });
});

describe('encodeWriteValue', () => {
  const setpoint = bacnetPointSchema.parse({ key: 'sp', objectType: 'analog-value', instance: 1, scale: 0.1, min: 0, max: 100, writable: true });

  it('undoes scale for analog objects', () => {
    expect(encodeWriteValue(setpoint, 'dev', 21.5)).toEqual({ type: ApplicationTag.REAL, value: 215 });
  });

  it('writes NULL to relinquish', () => {
    expect(encodeWriteValue(setpoint, 'dev', null)).toEqual({ type: ApplicationTag.NULL, value: null });
  });

  it('encodes binary and multi-state values', () => {
    const binary = bacnetPointSchema.parse({ key: 'fan', objectType: 'binary-output', instance: 1 });
    expect(encodeWriteValue(binary, 'dev', true)).toEqual({ type: ApplicationTag.ENUMERATED, value: 1 });
    expect(() => encodeWriteValue(binary, 'dev', 2)).toThrow(DeviceRequestError);
    const mode = bacnetPointSchema.parse({ key: 'mode', objectType: 'multi-state-value', instance: 1 });
    expect(encodeWriteValue(mode, 'dev', '3')).toEqual({ type: ApplicationTag.UNSIGNED_INTEGER, value: 3 });
    expect(() => encodeWriteValue(mode, 'dev', 0)).toThrow(/state number from 1/);
  });

  it('rejects values outside min and max', () => {
    expect(() => encodeWriteValue(setpoint, 'dev', 101)).toThrow(/above its maximum 100/);
    expect(() => encodeWriteValue(setpoint, 'dev', 'warm')).toThrow(/needs a number/);
  });
});

describe('request sizing and ids', () => {
  it('fits ReadPropertyMultiple batches to the max APDU', () => {
    expect(objectsPerRequest(1476, 3)).toBe(36);
    expect(objectsPerRequest(206, 3)).toBe(5);
    expect(objectsPerRequest(50, 3)).toBe(1);
  });

  it('derives a stable 22-bit COV process id from the device key', () => {
    expect(covProcessId('ahu')).toBe(covProcessId('ahu'));
    expect(covProcessId('ahu')).not.toBe(covProcessId('ahu-2'));
    expect(covProcessId('ahu')).toBeGreaterThan(0);
    expect(covProcessId('ahu')).toBeLessThan(2 ** 22);
  });
});
