import { afterEach, describe, expect, it } from 'vitest';
import { imageHandler, startRawTcpServer, type RawTcpServer, type RequestHandler } from '../drivers/modbus/raw-tcp-server';
import { ControlFixture, manager, modbusDevice, remoteManager, waitUntil } from './control-support';

// Devices that misbehave, served by a raw Modbus TCP server whose replies each test scripts.

const WRITE_SINGLE_REGISTER = 6;

let server: RawTcpServer | undefined;
let fixture: ControlFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  await server?.close();
  fixture = undefined;
  server = undefined;
});

async function startWith(handler: RequestHandler, control: Record<string, unknown>, options: ConstructorParameters<typeof ControlFixture>[1] = {}): Promise<ControlFixture> {
  server = await startRawTcpServer(handler);
  fixture = new ControlFixture([modbusDevice(server.port, [{ key: 'setpoint', address: 0, dataType: 'int16', writable: true, control: { safeValue: 0, minIntervalMs: 0, ...control } }])], options);
  await fixture.start();
  return fixture;
}

function writesTo(address: number): number[] {
  return server!.requests.filter((request) => request.functionCode === WRITE_SINGLE_REGISTER && request.address === address).map((request) => request.quantity);
}

describe('control against faulty devices', () => {
  it('reports not_confirmed when the device acknowledges but keeps its value', async () => {
    const started = await startWith((request) => (request.functionCode === WRITE_SINGLE_REGISTER ? { echo: true } : { registers: [7] }), { verifyTimeoutMs: 300 });

    const result = await started.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 20 }, actor: remoteManager, source: 'remote' });

    expect(result).toMatchObject({ ok: false, code: 'not_confirmed' });
    const message = result.ok ? '' : result.message;
    expect(message).toContain('point plc.setpoint read back 7 within 300 ms of writing 20 (tolerance 0.5)');
    // The device may still act on it, so the lease holds and its release will apply.
    expect(message).toContain('the point is under a lease anyway');
    expect(started.service.activeLeases()).toMatchObject([{ point: 'plc.setpoint', source: 'remote', value: 20 }]);
    expect(writesTo(0)).toEqual([20]);
    expect(started.audit('control.write')[0]!.details).toMatchObject({ oldValue: 7, newValue: 20, result: 'not_confirmed' });
  });

  it('reports device_error with the driver message when the device rejects the write', async () => {
    const started = await startWith((request) => (request.functionCode === WRITE_SINGLE_REGISTER ? { exception: 4 } : { registers: [7] }), {});

    const result = await started.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 20 }, actor: manager, source: 'local' });

    expect(result).toMatchObject({ ok: false, code: 'device_error' });
    expect(result.ok ? '' : result.message).toMatch(/^writing 20 to point plc\.setpoint failed: writing point "setpoint" failed: .*exception 4/);
    // A rejected write changed nothing, so no lease was taken.
    expect(started.service.activeLeases()).toEqual([]);
  });

  it('ramps in steps of rampPerSecond and confirms the last one', async () => {
    const image = new Map([[0, 0]]);
    const sleeps: number[] = [];
    const started = await startWith(imageHandler(image), { rampPerSecond: 5 }, { sleep: async (ms) => void sleeps.push(ms) });

    const result = await started.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 17 }, actor: manager, source: 'local' });

    expect(result).toMatchObject({ ok: true, previousValue: 0, value: 17, readBack: 17 });
    expect(writesTo(0)).toEqual([5, 10, 15, 17]);
    expect(sleeps).toEqual([1000, 1000, 1000]);
    expect(image.get(0)).toBe(17);
  });

  it('retries a failed release with backoff until the device takes it', async () => {
    const image = new Map([[0, 0]]);
    const serve = imageHandler(image);
    let failing = false;
    const started = await startWith((request) => (failing && request.functionCode === WRITE_SINGLE_REGISTER ? { exception: 4 } : serve(request)), {});
    await started.service.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 30 }, actor: remoteManager, source: 'remote' });
    expect(image.get(0)).toBe(30);

    failing = true;
    await started.service.endRemoteLeases('the uplink to the hub closed');
    expect(image.get(0)).toBe(30);
    const failed = started.audit('control.link_lost_release');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.details).toMatchObject({ result: 'device_error', message: expect.stringContaining('applying the release of point plc.setpoint failed') });
    expect(started.log.messages(50)).toContainEqual(expect.stringContaining('applying the release of point plc.setpoint failed'));
    // The lease row stays until the release is applied, so a restart would try again too.
    expect(started.db.prepare('SELECT count(*) AS n FROM control_leases').get()).toEqual({ n: 1 });
    expect(started.service.activeLeases()).toEqual([]);
    expect(started.service.releasesPending().map((lease) => lease.point)).toEqual(['plc.setpoint']);
    await waitUntil(() => writesTo(0).length >= 3, 3000, 'two retries');

    failing = false;
    await waitUntil(() => image.get(0) === 0, 3000, 'the safe value after a retry');
    await waitUntil(() => started.audit('control.link_lost_release').length === 2, 2000, 'the audit entry of the release');
    expect(started.audit('control.link_lost_release')[1]!.details).toMatchObject({ result: 'ok', message: expect.stringMatching(/\(attempt \d+\)$/) });
    expect(started.db.prepare('SELECT count(*) AS n FROM control_leases').get()).toEqual({ n: 0 });
    expect(started.service.releasesPending()).toEqual([]);
  });
});
