import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logger';
import { SimulatorListenError } from '../../src/simulate/listen-error';
import { startModbusServer, type RunningModbusServer } from '../../src/simulate/modbus/modbus-server';

const units = new Map([[1, { holdingRegisters: () => new Map([[0, 1]]) }]]);

/** Returns the rejection of a promise that is expected to fail. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

describe('Modbus simulator listen errors', () => {
  let holder: Server | undefined;
  let server: RunningModbusServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
    if (holder !== undefined) await new Promise((resolve) => holder!.close(resolve));
    holder = undefined;
  });

  it('names the code and port in use', async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;

    const error = await failureOf(startModbusServer({ host: '127.0.0.1', port, units, logger: createSilentLogger() }));
    expect(error).toBeInstanceOf(SimulatorListenError);
    const listenError = error as SimulatorListenError;
    expect(listenError.message).toBe(
      `cannot listen for Modbus TCP on 127.0.0.1:${port}: EADDRINUSE (another process holds the port; stop it or pass another --port, 0 for any free port)`,
    );
    expect(listenError.code).toBe('EADDRINUSE');
    expect(listenError.host).toBe('127.0.0.1');
    expect(listenError.port).toBe(port);
    expect((listenError.cause as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
  });

  // 192.0.2.1 is TEST-NET-1 (RFC 5737), an address no interface of the test machine has.
  it('names an address this host lacks', async () => {
    const error = await failureOf(startModbusServer({ host: '192.0.2.1', port: 15911, units, logger: createSilentLogger() }));
    expect(error).toBeInstanceOf(SimulatorListenError);
    expect((error as SimulatorListenError).message).toBe(
      'cannot listen for Modbus TCP on 192.0.2.1:15911: EADDRNOTAVAIL (the address belongs to no interface of this host; pass a --host this host has, such as 127.0.0.1)',
    );
  });

  it('still binds a free port when asked for port 0', async () => {
    server = await startModbusServer({ host: '127.0.0.1', port: 0, units, logger: createSilentLogger() });
    expect(server.port).toBeGreaterThan(0);
  });
});

describe('SimulatorListenError', () => {
  it('brackets an IPv6 address', () => {
    const cause = Object.assign(new Error('listen EACCES'), { code: 'EACCES' });
    expect(new SimulatorListenError('Modbus TCP', '::1', 502, cause).message).toBe(
      'cannot listen for Modbus TCP on [::1]:502: EACCES (ports below 1024 need root or CAP_NET_BIND_SERVICE; pass a --port of 1024 or more)',
    );
  });

  it('falls back to the message of an error without a code', () => {
    expect(new SimulatorListenError('Modbus TCP', '127.0.0.1', 5020, new Error('socket hang up')).message).toBe(
      'cannot listen for Modbus TCP on 127.0.0.1:5020: socket hang up',
    );
  });
});
