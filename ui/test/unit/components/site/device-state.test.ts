import { describe, expect, it } from 'vitest';
import { countBadPoints, deviceErrorOf, deviceStateOf } from '../../../../src/components/site/device-state';
import { makeDevice, makePoint, reading } from './site-fixture';

describe('deviceStateOf', () => {
  it('prefers the live status to the loaded one', () => {
    expect(deviceStateOf(makeDevice('pv', { status: 'online' }), { status: 'offline', ts: 5 })).toBe('offline');
  });

  it('keeps the loaded status without a live one', () => {
    expect(deviceStateOf(makeDevice('pv', { status: 'unknown' }), undefined)).toBe('unknown');
  });

  it('keeps a disabled device disabled', () => {
    expect(deviceStateOf(makeDevice('pv', { status: 'disabled' }), { status: 'online', ts: 5 })).toBe('disabled');
  });
});

describe('deviceErrorOf', () => {
  it('shows the live error of an offline device', () => {
    expect(deviceErrorOf(makeDevice('pv', { lastError: 'old' }), { status: 'offline', ts: 5, error: 'timed out' })).toBe('timed out');
  });

  it('falls back to the loaded error', () => {
    expect(deviceErrorOf(makeDevice('pv', { lastError: 'refused' }), { status: 'offline', ts: 5 })).toBe('refused');
  });

  it('clears the error once the device is back online', () => {
    expect(deviceErrorOf(makeDevice('pv', { lastError: 'refused' }), { status: 'online', ts: 5 })).toBeNull();
  });
});

describe('countBadPoints', () => {
  const points = [
    makePoint('pv', 'W', { reading: reading(1, 'bad') }),
    makePoint('pv', 'A', { reading: reading(1, 'good') }),
    makePoint('pv', 'V', { reading: null }),
    makePoint('meter', 'W', { reading: reading(1, 'bad') }),
  ];

  it('counts loaded bad readings of the device only', () => {
    expect(countBadPoints('pv', points, {})).toBe(1);
  });

  it('lets a live reading replace the loaded one', () => {
    expect(countBadPoints('pv', points, { 'pv.W': reading(2, 'good'), 'pv.A': reading(2, 'bad'), 'pv.V': reading(null, 'bad') })).toBe(2);
  });
});
