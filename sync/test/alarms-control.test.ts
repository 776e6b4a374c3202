import { describe, expect, it } from 'vitest';
import {
  alarmConditionSchema,
  alarmRuleSchema,
  alarmTransitionSchema,
  controlErrorCodeSchema,
  controlErrorStatus,
  controlResultSchema,
  pointBaseSchema,
  pollIntervalProblem,
  renderAlarmMessage,
  uplinkEdgeMessageSchema,
  uplinkHubMessageSchema,
  type AlarmCondition,
} from '../src/index';

const values = { name: 'Grid import', point: 'meter.W', device: 'meter', value: '41.5', unit: 'kW', limit: '40', severity: 'warning' };

describe('alarm conditions', () => {
  it('fills defaults for delays and deadband', () => {
    const condition = alarmConditionSchema.parse({ type: 'high', limit: 40 });

    expect(condition).toEqual({ type: 'high', limit: 40, deadband: 0, onDelayS: 0, offDelayS: 0 });
  });

  it('rejects a negative deadband', () => {
    const parsed = alarmConditionSchema.safeParse({ type: 'low', limit: 1, deadband: -1 });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['deadband']);
  });

  it('rejects an unknown condition type', () => {
    expect(alarmConditionSchema.safeParse({ type: 'above', limit: 1 }).success).toBe(false);
  });

  it('requires at least one value for a state match', () => {
    expect(alarmConditionSchema.safeParse({ type: 'state', values: [] }).success).toBe(false);
    expect(alarmConditionSchema.safeParse({ type: 'state', values: [true] }).success).toBe(true);
  });
});

describe('alarm rules', () => {
  const base = { id: 'r1', name: 'Offline', severity: 'critical' };

  it('accepts a device offline rule without a point when it names the device', () => {
    const parsed = alarmRuleSchema.safeParse({ ...base, point: null, condition: { type: 'device_offline', device: 'meter' } });

    expect(parsed.success).toBe(true);
  });

  it('rejects a rule without a point of another type', () => {
    const parsed = alarmRuleSchema.safeParse({ ...base, point: null, condition: { type: 'high', limit: 1 } });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['point']);
  });

  it('rejects a device offline rule with neither point nor device', () => {
    expect(alarmRuleSchema.safeParse({ ...base, point: null, condition: { type: 'device_offline' } }).success).toBe(false);
  });
});

describe('condition times and poll intervals', () => {
  const device = { key: 'meter', pollIntervalMs: 10_000 };

  it('accepts a stale time of two poll intervals', () => {
    expect(pollIntervalProblem(alarmConditionSchema.parse({ type: 'stale', afterS: 20 }), device)).toBeUndefined();
  });

  it('names afterS when it is shorter', () => {
    expect(pollIntervalProblem(alarmConditionSchema.parse({ type: 'stale', afterS: 19 }), device)?.field).toBe('afterS');
  });

  it('names windowS of a short rate window', () => {
    const problem = pollIntervalProblem(alarmConditionSchema.parse({ type: 'rate_of_change', maxChangePerMinute: 1, windowS: 10 }), device);

    expect(problem?.field).toBe('windowS');
    expect(problem?.message).toContain('use at least 20');
  });

  it('ignores conditions without times', () => {
    expect(pollIntervalProblem(alarmConditionSchema.parse({ type: 'high', limit: 1 }), device)).toBeUndefined();
  });
});

describe('alarm messages', () => {
  it('uses the default template of the condition type', () => {
    const condition: AlarmCondition = alarmConditionSchema.parse({ type: 'high', limit: 40 });

    expect(renderAlarmMessage(condition, values)).toBe('Grid import: meter.W is 41.5 kW, above 40 kW');
  });

  it('fills a custom template and keeps unknown placeholders', () => {
    const condition = alarmConditionSchema.parse({ type: 'high', limit: 40, message: '{severity}: {device} at {value}{unit} {other}' });

    expect(renderAlarmMessage(condition, values)).toBe('warning: meter at 41.5kW {other}');
  });

  it('closes the gap an empty unit leaves', () => {
    const condition = alarmConditionSchema.parse({ type: 'state', values: [1] });

    expect(renderAlarmMessage(condition, { ...values, unit: '', value: '1' })).toBe('Grid import: meter.W is 1');
  });
});

describe('alarm transitions', () => {
  const transition = {
    id: '6f1c2f59-8d1e-4c55-9d3a-2f1f5c7b9a10',
    seq: 1,
    ruleId: 'r1',
    occurrence: '7a1c2f59-8d1e-4c55-9d3a-2f1f5c7b9a10',
    action: 'raise',
    from: 'normal',
    to: 'active_unack',
    at: Date.UTC(2026, 11, 5, 9),
    value: 41.5,
    severity: 'warning',
    message: 'high',
    point: 'meter.W',
    device: 'meter',
    user: null,
    comment: null,
    shelvedUntil: null,
    requestId: null,
  };

  it('accepts a raise', () => {
    expect(alarmTransitionSchema.safeParse(transition).success).toBe(true);
  });

  it('rejects an unknown state', () => {
    expect(alarmTransitionSchema.safeParse({ ...transition, to: 'active' }).success).toBe(false);
  });

  it('rejects a time before 2000', () => {
    expect(alarmTransitionSchema.safeParse({ ...transition, at: 0 }).success).toBe(false);
  });
});

describe('control settings of a point', () => {
  it('defaults the lease to 60 s and the release to the safe value', () => {
    const point = pointBaseSchema.parse({ key: 'setpoint', writable: true, control: { safeValue: 20 } });

    expect(point.control).toMatchObject({ leaseS: 60, onRelease: 'safe_value', dangerous: false, minIntervalMs: 1_000 });
  });

  it('rejects a lease shorter than 5 s', () => {
    expect(pointBaseSchema.safeParse({ key: 'setpoint', control: { leaseS: 1 } }).success).toBe(false);
  });

  it('keeps a point without control settings valid', () => {
    expect(pointBaseSchema.parse({ key: 'W' }).control).toBeUndefined();
  });
});

describe('control results', () => {
  it('maps every error code to a 4xx or 5xx status', () => {
    for (const code of controlErrorCodeSchema.options) expect(controlErrorStatus[code]).toBeGreaterThanOrEqual(400);
  });

  it('accepts a refusal naming the limit', () => {
    const refusal = { ok: false, point: 'ahu.sp', code: 'out_of_limits', message: 'value 30 is above its maximum 26', limit: { name: 'max', value: 26 } };

    expect(controlResultSchema.safeParse(refusal).success).toBe(true);
  });

  it('rejects an unknown error code', () => {
    expect(controlResultSchema.safeParse({ ok: false, point: 'p', code: 'oops', message: 'x' }).success).toBe(false);
  });
});

describe('uplink requests', () => {
  const user = { id: 'u1', email: 'op@example.com', name: 'Op' };
  const requestId = '6f1c2f59-8d1e-4c55-9d3a-2f1f5c7b9a10';

  it('parses a remote write', () => {
    const message = { type: 'control-command', requestId, point: 'ahu.sp', command: { kind: 'write', value: 21.5, leaseS: 120 }, user };

    expect(uplinkHubMessageSchema.parse(message)).toEqual(message);
  });

  it('rejects a write without a value', () => {
    const message = { type: 'control-command', requestId, point: 'ahu.sp', command: { kind: 'write' }, user };

    expect(uplinkHubMessageSchema.safeParse(message).success).toBe(false);
  });

  it('parses an alarm action', () => {
    const message = { type: 'alarm-action', requestId, ruleId: 'r1', action: 'comment', body: { comment: 'checked on site' }, user, at: 1 };

    expect(uplinkHubMessageSchema.safeParse(message).success).toBe(true);
  });

  it('parses a control result from the edge', () => {
    const result = { ok: false, point: 'ahu.sp', code: 'held_locally', message: 'held' };

    expect(uplinkEdgeMessageSchema.safeParse({ type: 'control-result', requestId, result }).success).toBe(true);
  });
});
