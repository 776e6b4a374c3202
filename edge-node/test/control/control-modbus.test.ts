import type ModbusRTU from 'modbus-serial';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPymodbus, type PymodbusServer } from '../drivers/modbus/pymodbus-process';
import { closeModbusClient, connectModbusClient } from '../simulate/modbus-test-client';
import { actor, ControlFixture, manager, modbusDevice, remoteManager, waitUntil } from './control-support';

// Control against a real Modbus server (pymodbus), with each register read back from the server by a
// second client, so every assertion on a device value is what the device holds.

const INITIAL = { setpoint: 20, limited: 0, slow: 0, power: 0 };

let server: PymodbusServer;
let reader: ModbusRTU;
let fixture: ControlFixture;

const points = [
  { key: 'setpoint', address: 0, dataType: 'int16', writable: true, min: 0, max: 50, control: { safeValue: 10, minIntervalMs: 0 } },
  { key: 'limited', address: 1, dataType: 'int16', writable: true, min: 0, max: 100, control: { safeValue: 0, maxStep: 5, minIntervalMs: 0 } },
  { key: 'slow', address: 2, dataType: 'int16', writable: true, control: { safeValue: 0, minIntervalMs: 60_000 } },
  { key: 'breaker', table: 'coil', address: 0, dataType: 'bool', writable: true, control: { safeValue: false, dangerous: true, minIntervalMs: 0 } },
  { key: 'power', address: 3, dataType: 'float32', writable: true, min: -1000, max: 1000, control: { safeValue: 0, minIntervalMs: 0 } },
  { key: 'priority', address: 5, dataType: 'int16', writable: true, control: { onRelease: 'relinquish' } },
  { key: 'no_safe_value', address: 6, dataType: 'int16', writable: true },
  { key: 'measured', address: 7, dataType: 'int16' },
];

async function register(address: number): Promise<number> {
  return (await reader.readHoldingRegisters(address, 1)).data[0]!;
}

async function coil(address: number): Promise<boolean> {
  return (await reader.readCoils(address, 1)).data[0]!;
}

beforeAll(async () => {
  server = await startPymodbus({ transport: 'tcp' }, { 1: { hr: { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0 }, co: { 0: false } } });
  reader = await connectModbusClient(server.port!, 1);
});

afterAll(async () => {
  await closeModbusClient(reader);
  await server?.stop();
});

beforeEach(async () => {
  await reader.writeRegisters(0, [INITIAL.setpoint, INITIAL.limited, INITIAL.slow, 0, 0]);
  await reader.writeCoil(0, false);
  fixture = new ControlFixture([modbusDevice(server.port!, points)]);
  await fixture.start();
});

afterEach(async () => {
  await fixture.close();
});

describe('control leases on a Modbus server', () => {
  it('restores the safe value when a remote lease expires', async () => {
    const result = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 30, leaseS: 5 }, actor: remoteManager, source: 'remote' });
    expect(result).toMatchObject({ ok: true, previousValue: 20, value: 30, readBack: 30 });
    expect(await register(0)).toBe(30);

    // The real expiry timer fires after 5 s.
    await waitUntil(async () => (await register(0)) === 10, 8000, 'the safe value 10 in the register');
    await waitUntil(() => fixture.audit('control.lease_expired').length === 1, 2000, 'the expiry audit entry');
    const [entry] = fixture.audit('control.lease_expired');
    expect(entry!.actorType).toBe('system');
    expect(entry!.details).toMatchObject({ point: 'plc.setpoint', oldValue: 30, newValue: 10, readBack: 10, result: 'ok', user: { id: remoteManager.id } });
    expect(fixture.service.activeLeases()).toEqual([]);
  }, 15_000);

  it('applies the release of remote leases when the link is lost', async () => {
    await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 40 }, actor: remoteManager, source: 'remote' });
    await fixture.service.execute({ point: 'plc.power', command: { kind: 'write', value: 250.5 }, actor: manager, source: 'local' });
    expect(await register(0)).toBe(40);

    await fixture.service.endRemoteLeases('the uplink to the hub closed');

    expect(await register(0)).toBe(10);
    expect(fixture.service.activeLeases().map((lease) => [lease.point, lease.source])).toEqual([['plc.power', 'local']]);
    const [entry] = fixture.audit('control.link_lost_release');
    expect(entry!.details).toMatchObject({ point: 'plc.setpoint', newValue: 10, result: 'ok', reason: 'the uplink to the hub closed' });
  });

  it('holds a remote lease for the point default of 60 s', async () => {
    const before = fixture.clock.now();
    const result = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 31 }, actor: remoteManager, source: 'remote' });
    expect(result.ok).toBe(true);
    const lease = result.ok ? result.lease! : undefined;
    expect(lease!.expiresAt! - lease!.startedAt).toBe(60_000);
    expect(lease!.startedAt).toBeGreaterThanOrEqual(before);

    fixture.clock.advance(59_000);
    await fixture.service.releaseExpired();
    expect(await register(0)).toBe(31);
    fixture.clock.advance(2000);
    await fixture.service.releaseExpired();
    expect(await register(0)).toBe(10);
  });

  it('ends remote and expired local leases after a restart', async () => {
    await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 33 }, actor: remoteManager, source: 'remote' });
    await fixture.service.execute({ point: 'plc.power', command: { kind: 'write', value: 100, leaseS: 5 }, actor: manager, source: 'local' });
    await fixture.service.execute({ point: 'plc.limited', command: { kind: 'write', value: 5 }, actor: manager, source: 'local' });
    await fixture.service.stop();
    // The stop released the remote lease already; put one back as a crash would have left it.
    await reader.writeRegister(0, 33);
    fixture.db
      .prepare("INSERT INTO control_leases (point, source, value, user_id, user_name, started_at, expires_at) VALUES ('plc.setpoint', 'remote', '33', ?, 'x', ?, ?)")
      .run(remoteManager.id, fixture.clock.now(), fixture.clock.now() + 60_000);

    fixture.clock.advance(10_000);
    fixture.restart();

    await waitUntil(async () => (await register(0)) === 10 && (await reader.readHoldingRegisters(3, 2)).buffer.readFloatBE(0) === 0, 5000, 'both releases');
    await waitUntil(() => fixture.service.activeLeases().length === 1, 2000, 'only the local lease without expiry');
    expect(fixture.service.activeLeases()[0]).toMatchObject({ point: 'plc.limited', source: 'local', expiresAt: null });
    expect(fixture.audit('control.link_lost_release').at(-1)!.details).toMatchObject({ reason: 'the edge node restarted', result: 'ok' });
    expect(fixture.audit('control.lease_expired').at(-1)!.details).toMatchObject({ point: 'plc.power', result: 'ok' });
  });
});

describe('on-site writes outrank remote ones', () => {
  it('refuses a remote write and release while an on-site write holds the point', async () => {
    await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 25 }, actor: manager, source: 'local' });

    const write = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 45 }, actor: remoteManager, source: 'remote' });
    expect(write).toEqual({
      ok: false,
      point: 'plc.setpoint',
      code: 'held_locally',
      message: 'site_manager user holds point plc.setpoint with an on-site write until it is released on site; a remote write may not change it',
    });
    const release = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'release' }, actor: remoteManager, source: 'remote' });
    expect(release).toMatchObject({ ok: false, code: 'held_locally' });
    expect(await register(0)).toBe(25);

    await fixture.service.endRemoteLeases('the uplink to the hub closed');
    expect(await register(0)).toBe(25);
  });

  it('names the end of an on-site lease with expiry', async () => {
    const local = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 25, leaseS: 300 }, actor: manager, source: 'local' });
    const expiresAt = local.ok ? local.lease!.expiresAt! : 0;
    const write = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 45 }, actor: remoteManager, source: 'remote' });
    expect(write.ok ? '' : write.message).toContain(`until ${new Date(expiresAt).toISOString()}`);
  });

  it('replaces a remote lease with an on-site write', async () => {
    await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 30 }, actor: remoteManager, source: 'remote' });
    const local = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 35 }, actor: manager, source: 'local' });
    expect(local).toMatchObject({ ok: true, previousValue: 30, lease: { source: 'local', userId: manager.id, expiresAt: null } });

    await fixture.service.endRemoteLeases('the uplink to the hub closed');
    expect(await register(0)).toBe(35);
    expect(fixture.audit('control.link_lost_release')).toEqual([]);

    const release = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'release' }, actor: manager, source: 'local' });
    expect(release).toMatchObject({ ok: true, command: 'release', previousValue: 35, value: 10, readBack: 10, lease: null });
    expect(await register(0)).toBe(10);
  });
});

describe('control checks on a Modbus server', () => {
  it('rejects out-of-limit values naming the limit', async () => {
    const high = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 51 }, actor: manager, source: 'local' });
    expect(high).toEqual({
      ok: false,
      point: 'plc.setpoint',
      code: 'out_of_limits',
      message: 'value 51 is above the maximum 50 of point plc.setpoint; send a value from 0 to 50',
      limit: { name: 'max', value: 50 },
    });
    const low = await fixture.service.execute({ point: 'plc.power', command: { kind: 'write', value: -1000.5 }, actor: manager, source: 'local' });
    expect(low).toMatchObject({ code: 'out_of_limits', limit: { name: 'min', value: -1000 } });
    expect(await register(0)).toBe(20);
  });

  it('rejects wrong types naming the expected type', async () => {
    const text = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 'twenty' }, actor: manager, source: 'local' });
    expect(text).toMatchObject({ code: 'wrong_type', message: 'point plc.setpoint is int16: it takes a whole number from -32768 to 32767, got "twenty"' });
    const fraction = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 20.5 }, actor: manager, source: 'local' });
    expect(fraction).toMatchObject({ code: 'wrong_type' });
    const bool = await fixture.service.execute({ point: 'plc.breaker', command: { kind: 'write', value: 2 }, actor: manager, source: 'local' });
    expect(bool).toMatchObject({ code: 'wrong_type', message: 'point plc.breaker is bool: it takes true, false, 1 or 0, got 2' });
    expect(await register(0)).toBe(20);
  });

  it('rejects a step larger than maxStep from the current value', async () => {
    const big = await fixture.service.execute({ point: 'plc.limited', command: { kind: 'write', value: 6 }, actor: manager, source: 'local' });
    expect(big).toEqual({
      ok: false,
      point: 'plc.limited',
      code: 'step_too_large',
      message: 'changing point plc.limited from 0 to 6 is a step of 6, more than its maxStep 5; write in smaller steps',
      limit: { name: 'maxStep', value: 5 },
    });
    expect(await register(1)).toBe(0);
    expect(await fixture.service.execute({ point: 'plc.limited', command: { kind: 'write', value: 5 }, actor: manager, source: 'local' })).toMatchObject({ ok: true });
    expect(await fixture.service.execute({ point: 'plc.limited', command: { kind: 'write', value: 10 }, actor: manager, source: 'local' })).toMatchObject({ ok: true });
    expect(await register(1)).toBe(10);
  });

  it('rate-limits writes of one point', async () => {
    const first = await fixture.service.execute({ point: 'plc.slow', command: { kind: 'write', value: 1 }, actor: manager, source: 'local' });
    expect(first.ok).toBe(true);
    const second = await fixture.service.execute({ point: 'plc.slow', command: { kind: 'write', value: 2 }, actor: manager, source: 'local' });
    expect(second).toMatchObject({ ok: false, code: 'rate_limited' });
    const retryAt = second.ok ? 0 : second.retryAt!;
    expect(retryAt - fixture.clock.now()).toBeGreaterThan(55_000);
    expect(retryAt - fixture.clock.now()).toBeLessThanOrEqual(60_000);
    expect(await register(2)).toBe(1);

    fixture.clock.advance(60_000);
    expect(await fixture.service.execute({ point: 'plc.slow', command: { kind: 'write', value: 2 }, actor: manager, source: 'local' })).toMatchObject({ ok: true });
    expect(await register(2)).toBe(2);
  });

  it('asks for confirmation before writing a dangerous point', async () => {
    const write = (value: boolean, confirmationToken?: string, who = manager) =>
      fixture.service.execute({ point: 'plc.breaker', command: { kind: 'write', value, ...(confirmationToken ? { confirmationToken } : {}) }, actor: who, source: 'local' });

    const first = await write(true);
    expect(first).toMatchObject({ ok: false, code: 'confirmation_required' });
    const token = first.ok ? '' : first.confirmationToken!;
    expect(first.ok ? 0 : first.confirmationExpiresAt! - fixture.clock.now()).toBeGreaterThan(29_000);
    expect(await coil(0)).toBe(false);

    // Bound to the value and the user; a mismatch uses the token up.
    expect(await write(false, token)).toMatchObject({ code: 'confirmation_required' });
    const again = await write(true);
    const other = actor('site_manager', 'manager-2');
    expect(await write(true, again.ok ? '' : again.confirmationToken!, other)).toMatchObject({ code: 'confirmation_required' });
    expect(await coil(0)).toBe(false);

    const third = await write(true);
    const confirmed = await write(true, third.ok ? '' : third.confirmationToken!);
    expect(confirmed).toMatchObject({ ok: true, value: true, readBack: 1 });
    expect(await coil(0)).toBe(true);
    expect(await write(false, third.ok ? '' : third.confirmationToken!)).toMatchObject({ code: 'confirmation_required' });
  });

  it('binds a confirmation token to the lease', async () => {
    const write = (leaseS: number, confirmationToken?: string) =>
      fixture.service.execute({ point: 'plc.breaker', command: { kind: 'write', value: true, leaseS, ...(confirmationToken ? { confirmationToken } : {}) }, actor: manager, source: 'local' });

    const first = await write(30);
    const longer = await write(86_400, first.ok ? '' : first.confirmationToken!);

    expect(longer).toMatchObject({ ok: false, code: 'confirmation_required' });
    expect(longer.ok ? '' : longer.message).toContain('point, value or lease');
    expect(await coil(0)).toBe(false);
  });

  it('expires a confirmation token after 30 s', async () => {
    const first = await fixture.service.execute({ point: 'plc.breaker', command: { kind: 'write', value: true }, actor: manager, source: 'local' });
    fixture.clock.advance(31_000);
    const late = await fixture.service.execute({
      point: 'plc.breaker',
      command: { kind: 'write', value: true, confirmationToken: first.ok ? '' : first.confirmationToken! },
      actor: manager,
      source: 'local',
    });
    expect(late).toMatchObject({ code: 'confirmation_required' });
    expect(late.ok ? '' : late.message).toContain('the confirmation token is unknown, expired');
    expect(await coil(0)).toBe(false);
  });

  it('refuses points it cannot control', async () => {
    const write = (point: string) => fixture.service.execute({ point, command: { kind: 'write', value: 1 }, actor: manager, source: 'local' });
    expect(await write('plc.priority')).toMatchObject({ code: 'not_writable', message: expect.stringContaining('modbus-tcp has no command priorities to relinquish') });
    expect(await write('plc.no_safe_value')).toMatchObject({ code: 'not_writable', message: expect.stringContaining('has no control.safeValue') });
    expect(await write('plc.measured')).toMatchObject({ code: 'not_writable', message: 'point plc.measured is read-only; set writable: true in its definition to control it' });
    expect(await write('plc.nothing')).toMatchObject({ code: 'unknown_point' });
    expect(await write('nodevice.setpoint')).toMatchObject({ code: 'unknown_point' });
  });

  it('checks the right before anything else', async () => {
    const viewer = await fixture.service.execute({ point: 'plc.nothing', command: { kind: 'write', value: 1 }, actor: actor('viewer'), source: 'local' });
    expect(viewer).toMatchObject({
      code: 'not_permitted',
      message: 'the role viewer may not control devices at this site: site managers and above (operators only where the site allows operator control) may',
    });
    const unknown = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 1 }, actor: actor(null), source: 'remote' });
    expect(unknown).toMatchObject({ code: 'not_permitted', message: expect.stringContaining('a user without a role at this site may not control devices') });
    expect(await register(0)).toBe(20);
  });
});

describe('control audit', () => {
  it('records accepted and refused commands with an upload event each', async () => {
    const accepted = await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 22 }, actor: remoteManager, source: 'remote' });
    await fixture.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 99 }, actor: manager, source: 'local' });

    const entries = fixture.audit('control.write');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      actorType: 'cloud',
      actorId: remoteManager.id,
      targetType: 'point',
      targetId: 'plc.setpoint',
      details: { user: { id: remoteManager.id, name: remoteManager.name }, source: 'remote', point: 'plc.setpoint', oldValue: 20, newValue: 22, readBack: 22, result: 'ok' },
    });
    expect(accepted.ok ? accepted.auditId : undefined).toBe(entries[0]!.id);
    expect(entries[1]).toMatchObject({
      actorType: 'user',
      actorId: manager.id,
      details: { source: 'local', newValue: 99, result: 'out_of_limits', message: expect.stringContaining('maximum 50') },
    });

    const events = fixture.controlEvents();
    expect(events.map((event) => [event.auditId, event.action, event.result])).toEqual([
      [entries[0]!.id, 'control.write', 'ok'],
      [entries[1]!.id, 'control.write', 'out_of_limits'],
    ]);
    expect(events[0]).toMatchObject({ point: 'plc.setpoint', oldValue: 20, newValue: 22, user: { id: remoteManager.id } });
  });
});
