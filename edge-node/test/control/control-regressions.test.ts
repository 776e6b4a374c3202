import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../api/api-fixture';
import { imageHandler, startRawTcpServer, type RawTcpServer } from '../drivers/modbus/raw-tcp-server';
import { ControlFixture, manager, modbusDevice, remoteManager, waitUntil } from './control-support';

// Control requests that returned a wrong result before their fix: invalid bodies, retries after a rejected write, releases during a ramp.

const WRITE_SINGLE_REGISTER = 6;

let fixture: ApiFixture;
let server: RawTcpServer | undefined;
let control: ControlFixture | undefined;

beforeAll(async () => {
  fixture = await createApiFixture();
});

afterAll(async () => {
  await fixture?.close();
});

afterEach(async () => {
  await control?.close();
  await server?.close();
  control = undefined;
  server = undefined;
});

async function postControl(body: string): Promise<{ status: number; error: { code: string; message: string; parameter?: string } }> {
  const response = await fixture.app.request('/api/points/meter.powerW/control', {
    method: 'POST',
    headers: { Authorization: `Bearer ${fixture.token}`, 'Content-Type': 'application/json' },
    body,
  });
  return { status: response.status, error: ((await response.json()) as { error: { code: string; message: string; parameter?: string } }).error };
}

describe('control body with an invalid value', () => {
  it.each([
    { case: 'a number too large for JSON', body: '{"value": 1e400}', named: 'Infinity' },
    { case: 'null', body: '{"value": null}', named: 'null' },
    { case: 'an object', body: '{"value": {"celsius": 21}}', named: '{"celsius":21}' },
    { case: 'an array', body: '{"value": [21]}', named: '[21]' },
    { case: 'no value', body: '{"leaseS": 60}', named: 'missing' },
  ])('names $case and what to send', async ({ body, named }) => {
    const { status, error } = await postControl(body);

    expect(status).toBe(400);
    expect(error.code).toBe('invalid_body');
    expect(error.parameter).toBe('value');
    expect(error.message).toContain(named);
    expect(error.message).toContain('send a finite number, true or false, or a string');
  });

  it('shortens a long string it names', async () => {
    const { error } = await postControl(JSON.stringify({ value: 'x'.repeat(5000) }));

    expect(error.parameter).toBe('value');
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('rate limit after a rejected write', () => {
  it('lets the retry through when the device took nothing', async () => {
    let rejectWrites = true;
    server = await startRawTcpServer((request) => {
      if (request.functionCode !== WRITE_SINGLE_REGISTER) return { registers: [rejectWrites ? 7 : 20] };
      return rejectWrites ? { exception: 4 } : { echo: true };
    });
    control = new ControlFixture([modbusDevice(server.port, [{ key: 'setpoint', address: 0, dataType: 'int16', writable: true, control: { safeValue: 0, minIntervalMs: 60_000 } }])]);
    await control.start();
    const write = { point: 'plc.setpoint', command: { kind: 'write', value: 20 }, actor: manager, source: 'local' } as const;

    const rejected = await control.service.execute(write);
    rejectWrites = false;
    const retried = await control.service.execute(write);

    expect(rejected).toMatchObject({ ok: false, code: 'device_error' });
    expect(retried).toMatchObject({ ok: true, readBack: 20 });
  });

  it('still limits a write the device took', async () => {
    server = await startRawTcpServer((request) => (request.functionCode === WRITE_SINGLE_REGISTER ? { echo: true } : { registers: [20] }));
    control = new ControlFixture([modbusDevice(server.port, [{ key: 'setpoint', address: 0, dataType: 'int16', writable: true, control: { safeValue: 0, minIntervalMs: 60_000 } }])]);
    await control.start();
    const write = { point: 'plc.setpoint', command: { kind: 'write', value: 20 }, actor: manager, source: 'local' } as const;

    await control.service.execute(write);
    const again = await control.service.execute(write);

    expect(again).toMatchObject({ ok: false, code: 'rate_limited' });
  });
});

describe('release during a ramp', () => {
  /** Starts a Modbus image and a service whose ramp steps last 20 ms in place of 1 s, so a 100-step ramp takes 2 s. */
  async function startRamp(): Promise<{ image: Map<number, number>; started: ControlFixture }> {
    const image = new Map([[0, 0]]);
    server = await startRawTcpServer(imageHandler(image));
    const point = { key: 'setpoint', address: 0, dataType: 'int16', writable: true, control: { safeValue: 0, rampPerSecond: 1, minIntervalMs: 0 } };
    control = new ControlFixture([modbusDevice(server.port, [point])], { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / 50)) });
    await control.start();
    return { image, started: control };
  }

  function stepsWritten(): number {
    return server!.requests.filter((request) => request.functionCode === WRITE_SINGLE_REGISTER).length;
  }

  it('stops the ramp and applies the release', async () => {
    const { image, started } = await startRamp();
    const ramp = started.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 100 }, actor: manager, source: 'local' });
    await waitUntil(() => stepsWritten() >= 3, 2000, 'the first ramp steps');

    const release = await started.service.execute({ point: 'plc.setpoint', command: { kind: 'release' }, actor: manager, source: 'local' });
    const stopped = await ramp;

    expect(release).toMatchObject({ ok: true, value: 0, readBack: 0 });
    expect(stopped).toMatchObject({ ok: false, code: 'device_error' });
    expect(stopped.ok ? '' : stopped.message).toContain('release');
    expect(stepsWritten()).toBeLessThan(20);
    expect(image.get(0)).toBe(0);
    expect(started.service.activeLeases()).toEqual([]);
  });

  it('stops a remote ramp when the link to the hub is lost', async () => {
    const { image, started } = await startRamp();
    const ramp = started.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 100 }, actor: remoteManager, source: 'remote' });
    await waitUntil(() => stepsWritten() >= 3, 2000, 'the first ramp steps');

    await started.service.endRemoteLeases('the link to the hub closed');
    await ramp;

    expect(stepsWritten()).toBeLessThan(20);
    expect(image.get(0)).toBe(0);
    expect(started.service.activeLeases()).toEqual([]);
  });
});

describe('on-site write during a remote ramp', () => {
  it('stops the ramp and writes at once', async () => {
    const image = new Map([[0, 0]]);
    server = await startRawTcpServer(imageHandler(image));
    const point = { key: 'setpoint', address: 0, dataType: 'int16', writable: true, control: { safeValue: 0, rampPerSecond: 1, minIntervalMs: 0 } };
    control = new ControlFixture([modbusDevice(server.port, [point])], { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / 50)) });
    await control.start();
    const ramp = control.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 100 }, actor: remoteManager, source: 'remote' });
    await waitUntil(() => image.get(0)! >= 3, 2000, 'the first ramp steps');

    const onSite = await control.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 2 }, actor: manager, source: 'local' });
    const stopped = await ramp;

    expect(onSite).toMatchObject({ ok: true, readBack: 2 });
    expect(stopped).toMatchObject({ ok: false, code: 'device_error' });
    expect(server.requests.filter((request) => request.functionCode === WRITE_SINGLE_REGISTER).length).toBeLessThan(20);
    expect(image.get(0)).toBe(2);
    expect(control.service.activeLeases()).toMatchObject([{ source: 'local', value: 2 }]);
  });
});

describe('write to a device that cannot be reached', () => {
  // A write that never left the edge took a lease anyway, and when the device came back the edge wrote
  // the safe value over the device's own value.
  it('takes no lease when the connection cannot be opened', async () => {
    server = await startRawTcpServer((request) => (request.functionCode === WRITE_SINGLE_REGISTER ? { echo: true } : { registers: [33] }));
    control = new ControlFixture([modbusDevice(server.port, [{ key: 'setpoint', address: 0, dataType: 'int16', writable: true, control: { safeValue: 10 } }])]);
    await control.start();
    await server.close();
    server = undefined;
    await new Promise((resolve) => setTimeout(resolve, 200));

    const result = await control.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 20 }, actor: remoteManager, source: 'remote' });

    expect(result).toMatchObject({ ok: false, code: 'device_error' });
    expect(result.ok ? '' : result.message).toMatch(/connect/);
    expect(control.service.activeLeases()).toEqual([]);
    expect(control.service.releasesPending()).toEqual([]);
    expect(control.db.prepare('SELECT count(*) AS n FROM control_leases').get()).toEqual({ n: 0 });
  });
});
