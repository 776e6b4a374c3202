import type { AlarmStatus } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { applyAlarmStatus, createActiveAlarmList } from '../../../../src/components/alarms/active-alarm-list';

const T0 = Date.UTC(2026, 11, 5, 10);

function alarm(ruleId: string, overrides: Partial<AlarmStatus> = {}): AlarmStatus {
  return {
    ruleId,
    siteId: 'demo',
    name: ruleId,
    severity: 'warning',
    point: null,
    device: null,
    state: 'active_unack',
    conditionActive: true,
    occurrence: '6f1c2a4e-8a51-4a8e-9d7a-0c9a1f0b2d11',
    message: `${ruleId} is active`,
    value: null,
    activeSince: T0,
    acknowledgedAt: null,
    acknowledgedBy: null,
    shelvedUntil: null,
    updatedAt: T0,
    ...overrides,
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((onResolve) => {
    resolve = onResolve;
  });
  return { promise, resolve };
}

describe('applyAlarmStatus', () => {
  it('replaces an alarm with its newer status', () => {
    const list = applyAlarmStatus([alarm('high-temp')], alarm('high-temp', { state: 'active_ack', updatedAt: T0 + 1 }));

    expect(list.map((entry) => entry.state)).toEqual(['active_ack']);
  });

  it('removes an alarm back to normal', () => {
    expect(applyAlarmStatus([alarm('high-temp')], alarm('high-temp', { state: 'normal', updatedAt: T0 + 1 }))).toEqual([]);
  });

  it('ignores an older status', () => {
    const list = applyAlarmStatus([alarm('high-temp', { state: 'active_ack', updatedAt: T0 + 5 })], alarm('high-temp', { updatedAt: T0 + 1 }));

    expect(list.map((entry) => entry.state)).toEqual(['active_ack']);
  });

  it('sorts critical alarms first', () => {
    const list = applyAlarmStatus([alarm('low-flow', { severity: 'info' })], alarm('grid-loss', { severity: 'critical' }));

    expect(list.map((entry) => entry.ruleId)).toEqual(['grid-loss', 'low-flow']);
  });
});

describe('createActiveAlarmList', () => {
  it('keeps a live change that arrived during a reload', async () => {
    const answer = deferred<AlarmStatus[]>();
    const list = createActiveAlarmList(() => answer.promise, () => undefined);

    const reload = list.reload();
    list.apply(alarm('high-temp', { state: 'active_ack', updatedAt: T0 + 10 }));
    answer.resolve([alarm('high-temp')]);
    await reload;

    expect(list.state().alarms.map((entry) => entry.state)).toEqual(['active_ack']);
  });

  it('keeps an alarm removed live out of a reload read before', async () => {
    const answer = deferred<AlarmStatus[]>();
    const list = createActiveAlarmList(() => answer.promise, () => undefined);

    const reload = list.reload();
    list.apply(alarm('high-temp', { state: 'normal', updatedAt: T0 + 10 }));
    answer.resolve([alarm('high-temp')]);
    await reload;

    expect(list.state().alarms).toEqual([]);
  });

  it('drops a reload overtaken by a newer one', async () => {
    const answers = [deferred<AlarmStatus[]>(), deferred<AlarmStatus[]>()];
    let call = 0;
    const list = createActiveAlarmList(() => answers[call++]!.promise, () => undefined);

    const older = list.reload();
    const newer = list.reload();
    answers[1]!.resolve([alarm('grid-loss')]);
    await newer;
    answers[0]!.resolve([alarm('high-temp')]);
    await older;

    expect(list.state().alarms.map((entry) => entry.ruleId)).toEqual(['grid-loss']);
  });
});
