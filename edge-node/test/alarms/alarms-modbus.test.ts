import type { AlarmState, AlarmStatus } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { fileAlarmRulesSchema } from '../../src/config/schema';
import { createSilentLogger } from '../../src/logger';
import { startModbusServer, type RunningModbusServer } from '../../src/simulate/modbus/modbus-server';
import { createApiFixture, testSiteConfig, type ApiFixture } from '../api/api-fixture';
import { actor } from './alarm-support';

/**
 * Every rule type and every lifecycle transition on a running edge node that polls real simulated
 * Modbus TCP devices. Register values move the points; a silent unit makes a point stale, and a
 * stopped server takes a device offline.
 */

let fixture: ApiFixture | undefined;
const servers: RunningModbusServer[] = [];

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Holding registers of the meter: power (int16) at 0, mode at 1, temperature (int16) at 2. */
const meterRegisters = new Map<number, number>();
/** Holding register of the sensor: level at 0. The unit sends no replies while `sensorSilent`. */
const sensorRegisters = new Map<number, number>();
let sensorSilent = false;

function setMeter(values: { powerW?: number; mode?: number; tempC?: number }): void {
  if (values.powerW !== undefined) meterRegisters.set(0, values.powerW & 0xffff);
  if (values.mode !== undefined) meterRegisters.set(1, values.mode);
  if (values.tempC !== undefined) meterRegisters.set(2, values.tempC & 0xffff);
}

const alarmRules = [
  { id: 'power-high', name: 'Import high', severity: 'warning', point: 'meter.powerW', condition: { type: 'high', limit: 100, deadband: 10 } },
  { id: 'power-high-high', name: 'Import very high', severity: 'critical', point: 'meter.powerW', condition: { type: 'high_high', limit: 200 } },
  { id: 'power-low', name: 'Import low', severity: 'info', point: 'meter.powerW', condition: { type: 'low', limit: 10, deadband: 5 } },
  { id: 'power-low-low', name: 'Import very low', severity: 'warning', point: 'meter.powerW', condition: { type: 'low_low', limit: 5 } },
  { id: 'temp-rate', name: 'Temperature jump', severity: 'warning', point: 'meter.tempC', condition: { type: 'rate_of_change', maxChangePerMinute: 60, windowS: 2 } },
  { id: 'mode-fault', name: 'Meter fault', severity: 'critical', point: 'meter.mode', condition: { type: 'state', values: [3] } },
  { id: 'level-stale', name: 'Level silent', severity: 'warning', point: 'sensor.levelPct', condition: { type: 'stale', afterS: 1 } },
  { id: 'meter-offline', name: 'Meter offline', severity: 'critical', point: null, condition: { type: 'device_offline', device: 'meter' } },
];

async function startSite(): Promise<ApiFixture> {
  meterRegisters.clear();
  sensorRegisters.clear();
  sensorSilent = false;
  setMeter({ powerW: 50, mode: 1, tempC: 20 });
  sensorRegisters.set(0, 40);
  const logger = createSilentLogger();
  const meter = await startModbusServer({ units: new Map([[1, { holdingRegisters: () => meterRegisters }]]), logger });
  const sensor = await startModbusServer({ units: new Map([[1, { holdingRegisters: () => (sensorSilent ? undefined : sensorRegisters) }]]), logger });
  servers.push(meter, sensor);

  const config = testSiteConfig({
    devices: [
      {
        key: 'meter',
        driver: 'modbus-tcp',
        pollIntervalMs: 100,
        connection: { host: '127.0.0.1', port: meter.port, timeoutMs: 300 },
        points: [
          { key: 'powerW', address: 0, dataType: 'int16', unit: 'W' },
          { key: 'mode', address: 1, dataType: 'uint16' },
          { key: 'tempC', address: 2, dataType: 'int16', unit: 'C' },
        ],
      },
      {
        key: 'sensor',
        driver: 'modbus-tcp',
        pollIntervalMs: 100,
        connection: { host: '127.0.0.1', port: sensor.port, timeoutMs: 300 },
        points: [{ key: 'levelPct', address: 0, dataType: 'uint16', unit: 'Pct' }],
      },
    ],
  });
  fixture = await createApiFixture({ ...config, alarms: fileAlarmRulesSchema.parse(alarmRules) }, { startPollers: true });
  return fixture;
}

/** Waits until the rule's alarm is in `state`, failing with the state it has after `timeoutMs`. */
async function waitForState(ruleId: string, state: AlarmState, timeoutMs = 5000): Promise<AlarmStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alarm = fixture!.runtime.alarms.get(ruleId);
    if (alarm?.state === state) return alarm;
    if (Date.now() > deadline) throw new Error(`alarm ${ruleId} is ${alarm?.state ?? 'unknown'} after ${timeoutMs} ms, expected ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const operator = actor('operator');
const manager = actor('site_manager');

function actions(ruleId: string): string[] {
  return fixture!.runtime.alarms
    .history({ ruleId, limit: 100 })
    .reverse()
    .map((transition) => `${transition.action}:${transition.from}->${transition.to}`);
}

// Each case waits for several alarm states of up to 5 s each, longer than the default test timeout
// when the machine is busy.
describe('alarm rules on simulated Modbus devices', { timeout: 30_000 }, () => {
  it('trips and clears the limit rules with their deadbands', async () => {
    const site = await startSite();
    await new Promise((resolve) => setTimeout(resolve, 300));

    setMeter({ powerW: 250 });
    const high = await waitForState('power-high', 'active_unack');
    await waitForState('power-high-high', 'active_unack');
    setMeter({ powerW: 95 });
    await waitForState('power-high-high', 'cleared_unack');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const insideDeadband = site.runtime.alarms.get('power-high')?.state;
    setMeter({ powerW: 89 });
    await waitForState('power-high', 'cleared_unack');

    setMeter({ powerW: 2 });
    await waitForState('power-low', 'active_unack');
    await waitForState('power-low-low', 'active_unack');
    setMeter({ powerW: 12 });
    await waitForState('power-low-low', 'cleared_unack');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lowInsideDeadband = site.runtime.alarms.get('power-low')?.state;
    setMeter({ powerW: 16 });
    await waitForState('power-low', 'cleared_unack');

    expect(high.message).toBe('Import high: meter.powerW is 250 W, above 100 W');
    expect(high.value).toBe(250);
    expect(insideDeadband).toBe('active_unack');
    expect(lowInsideDeadband).toBe('active_unack');
  });

  it('trips the rate of change and state rules', async () => {
    await startSite();
    await new Promise((resolve) => setTimeout(resolve, 500));

    setMeter({ tempC: 60 });
    const jump = await waitForState('temp-rate', 'active_unack');
    await waitForState('temp-rate', 'cleared_unack', 5000);
    setMeter({ mode: 3 });
    const fault = await waitForState('mode-fault', 'active_unack');
    setMeter({ mode: 1 });
    await waitForState('mode-fault', 'cleared_unack');

    expect(jump.value).toBe(60);
    expect(fault.message).toBe('Meter fault: meter.mode is 3');
  });

  it('raises stale for a silent unit and device offline for a stopped server', async () => {
    await startSite();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const staleBefore = fixture!.runtime.alarms.get('level-stale')?.state;

    sensorSilent = true;
    const stale = await waitForState('level-stale', 'active_unack', 5000);
    sensorSilent = false;
    await waitForState('level-stale', 'cleared_unack', 5000);
    await servers[0]!.close();
    const offline = await waitForState('meter-offline', 'active_unack', 5000);

    expect(staleBefore).toBe('normal');
    expect(stale.message).toBe('Level silent: no good value from sensor.levelPct for 1 s');
    expect(offline).toEqual(expect.objectContaining({ device: 'meter', point: null, message: 'Meter offline: device meter is offline' }));
  });

  it('walks every lifecycle transition', async () => {
    const site = await startSite();
    const alarms = site.runtime.alarms;
    await new Promise((resolve) => setTimeout(resolve, 300));

    // raise, acknowledge, clear to normal
    setMeter({ powerW: 150 });
    const first = await waitForState('power-high', 'active_unack');
    expect(alarms.apply({ ruleId: 'power-high', action: 'acknowledge', body: { occurrence: first.occurrence! }, actor: operator }).ok).toBe(true);
    setMeter({ powerW: 50 });
    await waitForState('power-high', 'normal');

    // raise, clear unacknowledged, acknowledge to normal
    setMeter({ powerW: 150 });
    const second = await waitForState('power-high', 'active_unack');
    setMeter({ powerW: 50 });
    await waitForState('power-high', 'cleared_unack');
    expect(alarms.apply({ ruleId: 'power-high', action: 'acknowledge', body: { occurrence: second.occurrence! }, actor: operator }).ok).toBe(true);

    // shelve while active; the shelve expires with the condition still there
    setMeter({ powerW: 150 });
    await waitForState('power-high', 'active_unack');
    expect(alarms.apply({ ruleId: 'power-high', action: 'shelve', body: { shelvedUntil: Date.now() + 1500 }, actor: operator }).ok).toBe(true);
    await waitForState('power-high', 'active_unack', 4000);

    // shelve and unshelve, comment, out of service and back
    expect(alarms.apply({ ruleId: 'power-high', action: 'shelve', body: { shelvedUntil: Date.now() + 60_000 }, actor: operator }).ok).toBe(true);
    expect(alarms.apply({ ruleId: 'power-high', action: 'unshelve', body: {}, actor: operator }).ok).toBe(true);
    expect(alarms.apply({ ruleId: 'power-high', action: 'comment', body: { comment: 'load test on feeder 2' }, actor: operator }).ok).toBe(true);
    expect(alarms.apply({ ruleId: 'power-high', action: 'remove_from_service', body: {}, actor: manager }).ok).toBe(true);
    setMeter({ powerW: 50 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const conditionWhileOut = alarms.get('power-high')?.conditionActive;
    expect(alarms.apply({ ruleId: 'power-high', action: 'return_to_service', body: {}, actor: manager }).ok).toBe(true);

    expect(conditionWhileOut).toBe(false);
    expect(actions('power-high')).toEqual([
      'raise:normal->active_unack',
      'acknowledge:active_unack->active_ack',
      'clear:active_ack->normal',
      'raise:normal->active_unack',
      'clear:active_unack->cleared_unack',
      'acknowledge:cleared_unack->normal',
      'raise:normal->active_unack',
      'shelve:active_unack->shelved',
      'shelve_expired:shelved->active_unack',
      'shelve:active_unack->shelved',
      'unshelve:shelved->active_unack',
      'comment:active_unack->active_unack',
      'remove_from_service:active_unack->out_of_service',
      'return_to_service:out_of_service->normal',
    ]);
  });
});
