import { Socket } from 'node:net';
import ModbusRTU from 'modbus-serial';

/** The address of a Modbus device: a TCP host and port, or a serial port and its settings. */
export type ModbusEndpoint = TcpEndpoint | RtuEndpoint;
export interface TcpEndpoint {
  transport: 'tcp';
  host: string;
  port: number;
}
export interface RtuEndpoint {
  transport: 'rtu';
  path: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
}

/** Describes an endpoint for logs and messages: `tcp://host:port` or the serial path. */
export function describeEndpoint(endpoint: ModbusEndpoint): string {
  return endpoint.transport === 'tcp' ? `tcp://${endpoint.host}:${endpoint.port}` : endpoint.path;
}

/** Bits per character on a serial line: start bit, data bits, parity bit, stop bits. */
function bitsPerCharacter(endpoint: RtuEndpoint): number {
  return 1 + endpoint.dataBits + (endpoint.parity === 'none' ? 0 : 1) + endpoint.stopBits;
}

/**
 * Silent interval between RTU frames: 3.5 character times, and a fixed 1.75 ms above 19200 baud
 * (Modbus over Serial Line specification v1.02, section 2.5.1.1).
 */
export function interFrameDelayMs(endpoint: RtuEndpoint): number {
  if (endpoint.baudRate > 19_200) return 1.75;
  return (3.5 * bitsPerCharacter(endpoint) * 1000) / endpoint.baudRate;
}

/**
 * Connects a socket of our own and links a modbus-serial client to it (`linkTCP`). Owning the
 * socket gives a connect timeout, a reliable `close` event and the received bytes for the unit id
 * rewriter and trace logging. Rejects when the connect fails or takes longer than `connectTimeoutMs`.
 */
export function openTcpClient(endpoint: TcpEndpoint, connectTimeoutMs: number): Promise<{ client: ModbusRTU; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect timed out after ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    const onError = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
    socket.connect({ host: endpoint.host, port: endpoint.port }, () => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.setNoDelay(true);
      const client = new ModbusRTU();
      client.linkTCP(socket, { port: endpoint.port }).then(
        () => resolve({ client, socket }),
        (error: unknown) => {
          socket.destroy();
          reject(error);
        },
      );
    });
  });
}

/**
 * Opens a serial port with modbus-serial's buffered RTU port, which assembles replies that arrive
 * in pieces. `onError` and `onClose` are attached before the port opens, since the client emits
 * `error` without a listener otherwise.
 */
export async function openRtuClient(
  endpoint: RtuEndpoint,
  handlers: { onError(error: unknown): void; onClose(client: ModbusRTU): void },
): Promise<ModbusRTU> {
  const client = new ModbusRTU();
  client.on('error', handlers.onError);
  client.on('close', () => handlers.onClose(client));
  await client.connectRTUBuffered(endpoint.path, {
    baudRate: endpoint.baudRate,
    parity: endpoint.parity,
    dataBits: endpoint.dataBits,
    stopBits: endpoint.stopBits,
  });
  return client;
}
