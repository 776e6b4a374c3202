import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmHarness, rules } from './alarm-support';

let harness: AlarmHarness | undefined;

afterEach(() => {
  harness?.close();
  harness = undefined;
});

const siteId = randomUUID();

/** Stores a device and a point the way the shape sync does, and returns the point's id. */
function syncPoint(h: AlarmHarness, deviceKey: string, pointKey: string): string {
  const deviceId = randomUUID();
  const pointId = randomUUID();
  h.db.prepare('INSERT INTO cloud_devices (id, site_id, node_id, key, driver, config) VALUES (?, ?, NULL, ?, ?, ?)').run(deviceId, siteId, deviceKey, 'modbus-tcp', '{}');
  h.db.prepare('INSERT INTO cloud_points (id, site_id, device_id, key, position, config) VALUES (?, ?, ?, ?, 0, ?)').run(pointId, siteId, deviceId, pointKey, '{}');
  return pointId;
}

/** Stores a rule row and moves the shape's offset, as a stored batch of the `alarm_rules` shape does. */
function syncRule(h: AlarmHarness, rule: { id?: string; pointId: string | null; condition: unknown; enabled?: boolean; name?: string }): string {
  const id = rule.id ?? randomUUID();
  h.db
    .prepare('INSERT OR REPLACE INTO cloud_alarm_rules (id, site_id, point_id, name, severity, enabled, condition) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(id, siteId, rule.pointId, rule.name ?? 'Synced rule', 'critical', rule.enabled === false ? 0 : 1, JSON.stringify(rule.condition));
  markShapeBatch(h);
  return id;
}

let offset = 0;
function markShapeBatch(h: AlarmHarness): void {
  offset++;
  h.db.prepare('INSERT OR REPLACE INTO shape_state (shape, handle, "offset", updated_at) VALUES (?, ?, ?, ?)').run('alarm_rules', 'handle-1', `${offset}_0`, h.now);
}

describe('synced alarm rules', () => {
  it('maps the point id to device.point and runs the rule', () => {
    const h = (harness = new AlarmHarness([]));
    const pointId = syncPoint(h, 'boiler', 'tempC');
    const ruleId = syncRule(h, { pointId, condition: { type: 'high', limit: 90 } });

    h.advance(1000);
    h.sample(95, 'boiler.tempC');

    expect(h.service.get(ruleId)).toEqual(expect.objectContaining({ point: 'boiler.tempC', device: 'boiler', severity: 'critical', state: 'active_unack' }));
  });

  it('runs a device_offline rule without a point', () => {
    const h = (harness = new AlarmHarness([]));
    const ruleId = syncRule(h, { pointId: null, condition: { type: 'device_offline', device: 'boiler' } });

    h.advance(1000);
    h.service.observeDeviceStatus('boiler', 'offline');

    expect(h.service.get(ruleId)).toEqual(expect.objectContaining({ point: null, device: 'boiler', state: 'active_unack' }));
  });

  it('skips an invalid condition with a warning', () => {
    const h = (harness = new AlarmHarness([]));
    const pointId = syncPoint(h, 'boiler', 'tempC');
    const broken = syncRule(h, { pointId, condition: { type: 'high', limit: 'ninety' } });
    const working = syncRule(h, { pointId, condition: { type: 'low', limit: 5 } });

    h.advance(1000);

    const warning = h.log.lines.find((line) => line.rule === broken);
    expect(h.service.get(broken)).toBeUndefined();
    expect(h.service.get(working)).toBeDefined();
    expect(warning?.msg).toMatch(new RegExp(`skipped alarm rule ${broken}: .*condition\\.limit`));
  });

  it('waits for the rule point to sync', () => {
    const h = (harness = new AlarmHarness([]));
    const pointId = randomUUID();
    const ruleId = syncRule(h, { pointId, condition: { type: 'high', limit: 90 } });
    h.advance(1000);
    const before = h.service.get(ruleId);

    const deviceId = randomUUID();
    h.db.prepare('INSERT INTO cloud_devices (id, site_id, node_id, key, driver, config) VALUES (?, ?, NULL, ?, ?, ?)').run(deviceId, siteId, 'boiler', 'modbus-tcp', '{}');
    h.db.prepare('INSERT INTO cloud_points (id, site_id, device_id, key, position, config) VALUES (?, ?, ?, ?, 0, ?)').run(pointId, siteId, deviceId, 'tempC', '{}');
    h.db.prepare('INSERT OR REPLACE INTO shape_state (shape, handle, "offset", updated_at) VALUES (?, ?, ?, ?)').run('points', 'handle-2', '1_0', h.now);
    h.advance(1000);

    expect(before).toBeUndefined();
    expect(h.log.lines.some((line) => line.rule === ruleId && String(line.msg).includes('not synced'))).toBe(true);
    expect(h.service.get(ruleId)?.point).toBe('boiler.tempC');
  });

  it('reloads when the shape changes and normalises the alarm of a deleted rule', () => {
    const h = (harness = new AlarmHarness([]));
    const pointId = syncPoint(h, 'boiler', 'tempC');
    const ruleId = syncRule(h, { pointId, condition: { type: 'high', limit: 90 } });
    h.advance(1000);
    h.sample(95, 'boiler.tempC');

    h.db.prepare('DELETE FROM cloud_alarm_rules WHERE id = ?').run(ruleId);
    markShapeBatch(h);
    h.advance(1000);

    expect(h.transitions(ruleId).map((t) => [t.action, t.to])).toEqual([
      ['raise', 'active_unack'],
      ['clear', 'normal'],
    ]);
    expect(h.service.active()).toEqual([]);
  });

  it('takes a changed limit without raising again', () => {
    const h = (harness = new AlarmHarness([]));
    const pointId = syncPoint(h, 'boiler', 'tempC');
    const ruleId = syncRule(h, { pointId, condition: { type: 'high', limit: 90 } });
    h.advance(1000);
    h.sample(95, 'boiler.tempC');

    syncRule(h, { id: ruleId, pointId, name: 'Boiler hot', condition: { type: 'high', limit: 100 } });
    h.advance(1000);
    h.sample(95, 'boiler.tempC');

    expect(h.transitions(ruleId).map((t) => t.action)).toEqual(['raise', 'clear']);
    expect(h.service.get(ruleId)?.name).toBe('Boiler hot');
  });

  it('prefers the hub rule over a site file rule with the same id', () => {
    const fileRule = rules({ id: 'shared', condition: { type: 'high', limit: 10 } });
    const h = (harness = new AlarmHarness(fileRule));
    const pointId = syncPoint(h, 'meter', 'powerW');
    syncRule(h, { id: 'shared', pointId, condition: { type: 'high', limit: 1000 } });
    h.advance(1000);

    h.sample(500);

    expect(h.service.get('shared')?.state).toBe('normal');
    expect(h.log.lines.some((line) => line.rule === 'shared' && String(line.msg).includes("the hub's rule is used"))).toBe(true);
  });
});
