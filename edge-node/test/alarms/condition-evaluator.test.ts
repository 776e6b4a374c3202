import { alarmRuleSchema, type Sample } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { ConditionEvaluator } from '../../src/alarms/condition-evaluator';

const T0 = Date.UTC(2026, 0, 1);

function evaluator(condition: Record<string, unknown>, options: { point?: string | null; active?: boolean } = {}) {
  const rule = alarmRuleSchema.parse({ id: 'rule-1', name: 'Rule', severity: 'warning', point: options.point === undefined ? 'meter.powerW' : options.point, condition });
  return new ConditionEvaluator(rule, options.active ?? false, T0);
}

const good = (value: Sample['value']): Sample => ({ point: 'meter.powerW', ts: 0, value, quality: 'good' });
const bad: Sample = { point: 'meter.powerW', ts: 0, value: null, quality: 'bad', reason: 'timeout' };

/** Feeds values one second apart from T0 and returns the debounced condition after each. */
function feed(target: ConditionEvaluator, values: readonly (Sample['value'] | 'bad')[]): boolean[] {
  return values.map((value, index) => {
    target.observeSample(value === 'bad' ? bad : good(value), T0 + index * 1000);
    return target.isActive;
  });
}

describe('limit conditions', () => {
  it.each([
    { type: 'high', values: [90, 101, 99, 96, 94], expected: [false, true, true, true, false] },
    { type: 'high_high', values: [90, 101, 95.1, 95], expected: [false, true, true, false] },
    { type: 'low', values: [20, 9, 11, 14, 16], expected: [false, true, true, true, false] },
    { type: 'low_low', values: [20, 9, 14.9, 15], expected: [false, true, true, false] },
  ])('$type trips past the limit and clears past the deadband', ({ type, values, expected }) => {
    const limit = type.startsWith('high') ? 100 : 10;
    const target = evaluator({ type, limit, deadband: 5 });

    expect(feed(target, values)).toEqual(expected);
  });

  it('ignores bad samples', () => {
    const target = evaluator({ type: 'high', limit: 100 });

    expect(feed(target, ['bad', 'bad'])).toEqual([false, false]);
    expect(feed(target, [150, 'bad', 'bad'])).toEqual([true, true, true]);
  });

  it('ignores values that are not numbers', () => {
    const target = evaluator({ type: 'low', limit: 10 });

    expect(feed(target, ['text', 'bad'])).toEqual([false, false]);
  });

  it('returns the change with the latest good value', () => {
    const target = evaluator({ type: 'high', limit: 100 });

    const change = target.observeSample(good(120), T0 + 5000);

    expect(change).toEqual({ active: true, at: T0 + 5000, value: 120 });
  });

  it('keeps the stored state after a restart', () => {
    const target = evaluator({ type: 'high', limit: 100 }, { active: true });

    expect(target.observeSample(good(150), T0)).toBeUndefined();
    expect(target.observeSample(good(50), T0 + 1000)).toEqual({ active: false, at: T0 + 1000, value: 50 });
  });
});

describe('on-delay and off-delay', () => {
  it('raises only after the condition held for the on-delay, on a tick', () => {
    const target = evaluator({ type: 'high', limit: 100, onDelayS: 10 });

    expect(target.observeSample(good(120), T0)).toBeUndefined();
    expect(target.tick(T0 + 9_999)).toBeUndefined();
    expect(target.tick(T0 + 10_000)).toEqual({ active: true, at: T0 + 10_000, value: 120 });
  });

  it('restarts the on-delay when the condition drops meanwhile', () => {
    const target = evaluator({ type: 'high', limit: 100, onDelayS: 10 });

    target.observeSample(good(120), T0);
    target.observeSample(good(80), T0 + 5_000);
    target.observeSample(good(120), T0 + 6_000);

    expect(target.tick(T0 + 15_000)).toBeUndefined();
    expect(target.tick(T0 + 16_000)?.active).toBe(true);
  });

  it('clears only after the condition stayed gone for the off-delay', () => {
    const target = evaluator({ type: 'high', limit: 100, offDelayS: 30 });
    target.observeSample(good(120), T0);

    target.observeSample(good(50), T0 + 1_000);

    expect(target.isActive).toBe(true);
    expect(target.tick(T0 + 30_999)).toBeUndefined();
    expect(target.tick(T0 + 31_000)).toEqual({ active: false, at: T0 + 31_000, value: 50 });
  });
});

describe('rate of change', () => {
  it('trips when the value moves faster than allowed over the window', () => {
    const target = evaluator({ type: 'rate_of_change', maxChangePerMinute: 60, windowS: 10 });

    target.observeSample(good(0), T0);
    target.observeSample(good(0.5), T0 + 1_000);
    expect(target.isActive).toBe(false);

    target.observeSample(good(5), T0 + 2_000);
    expect(target.isActive).toBe(true);
  });

  it('clears once the window holds no fast change', () => {
    const target = evaluator({ type: 'rate_of_change', maxChangePerMinute: 60, windowS: 10 });
    target.observeSample(good(0), T0);
    target.observeSample(good(100), T0 + 1_000);

    target.observeSample(good(100), T0 + 12_000);

    expect(target.isActive).toBe(false);
  });

  it('clears on a tick when the samples stop', () => {
    const target = evaluator({ type: 'rate_of_change', maxChangePerMinute: 60, windowS: 10 });
    target.observeSample(good(0), T0);
    target.observeSample(good(100), T0 + 1_000);

    expect(target.tick(T0 + 5_000)).toBeUndefined();
    expect(target.tick(T0 + 10_001)?.active).toBe(false);
  });
});

describe('stale', () => {
  it('trips when no good sample arrived for afterS, counted from the start', () => {
    const target = evaluator({ type: 'stale', afterS: 30 });

    expect(target.tick(T0 + 29_999)).toBeUndefined();
    expect(target.tick(T0 + 30_000)?.active).toBe(true);
  });

  it('counts bad samples as no sample and clears on a good one', () => {
    const target = evaluator({ type: 'stale', afterS: 30 });
    target.observeSample(good(1), T0 + 10_000);
    target.observeSample(bad, T0 + 20_000);

    expect(target.tick(T0 + 39_999)).toBeUndefined();
    expect(target.tick(T0 + 40_000)?.active).toBe(true);
    expect(target.observeSample(good(2), T0 + 41_000)).toEqual({ active: false, at: T0 + 41_000, value: 2 });
  });
});

describe('device offline', () => {
  it('follows the device status and ignores unknown', () => {
    const target = evaluator({ type: 'device_offline', device: 'meter' }, { point: null });

    expect(target.observeDeviceStatus('offline', T0)).toEqual({ active: true, at: T0, value: null });
    expect(target.observeDeviceStatus('unknown', T0 + 1000)).toBeUndefined();
    expect(target.observeDeviceStatus('online', T0 + 2000)?.active).toBe(false);
  });

  it('waits for the on-delay', () => {
    const target = evaluator({ type: 'device_offline', onDelayS: 5 });

    target.observeDeviceStatus('offline', T0);

    expect(target.isActive).toBe(false);
    expect(target.tick(T0 + 5_000)?.active).toBe(true);
  });
});

describe('state match', () => {
  it('matches a binary point sampled as 0 or 1 with booleans', () => {
    const target = evaluator({ type: 'state', values: [true] });

    expect(feed(target, [0, 1, 'bad', 0])).toEqual([false, true, true, false]);
  });

  it('matches false with 0 only', () => {
    const target = evaluator({ type: 'state', values: [false] });

    expect(feed(target, [1, 0, 2, 'false'])).toEqual([false, true, false, false]);
  });

  it('matches numbers and strings exactly', () => {
    const target = evaluator({ type: 'state', values: [3, 'fault'] });

    expect(feed(target, [2, 3, '3', 'fault', 'FAULT'])).toEqual([false, true, false, true, false]);
  });
});
