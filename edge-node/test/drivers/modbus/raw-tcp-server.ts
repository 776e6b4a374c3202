import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A decoded Modbus TCP request as the test server received it. */
export interface ReceivedRequest {
  transactionId: number;
  unitId: number;
  functionCode: number;
  address: number;
  /** Quantity for reads and multiple writes; the value for FC 5 and FC 6. */
  quantity: number;
  /** Register values of an FC 16 request. */
  values: number[];
  socket: Socket;
}

/** How the server replies to one request. */
export type Reply =
  | { registers: number[]; unitId?: number; delayMs?: number; segments?: number[] }
  | { bits: boolean[]; unitId?: number }
  | { exception: number; unitId?: number }
  | { echo: true }
  | { silent: true }
  | { close: true };

export type RequestHandler = (request: ReceivedRequest) => Reply;

/** A Modbus TCP server for fault tests, which decodes requests and replies as the handler returns. */
export interface RawTcpServer {
  port: number;
  requests: ReceivedRequest[];
  connections: number;
  close(): Promise<void>;
}

function frame(transactionId: number, unitId: number, pdu: Buffer): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt16BE(transactionId, 0);
  header.writeUInt16BE(0, 2);
  header.writeUInt16BE(pdu.length + 1, 4);
  header.writeUInt8(unitId, 6);
  return Buffer.concat([header, pdu]);
}

function replyPdu(request: ReceivedRequest, reply: Reply): Buffer | undefined {
  if ('exception' in reply) return Buffer.from([request.functionCode | 0x80, reply.exception]);
  if ('registers' in reply) {
    const pdu = Buffer.alloc(2 + reply.registers.length * 2);
    pdu.writeUInt8(request.functionCode, 0);
    pdu.writeUInt8(reply.registers.length * 2, 1);
    reply.registers.forEach((register, i) => pdu.writeUInt16BE(register & 0xffff, 2 + i * 2));
    return pdu;
  }
  if ('bits' in reply) {
    const bytes = Math.ceil(reply.bits.length / 8);
    const pdu = Buffer.alloc(2 + bytes);
    pdu.writeUInt8(request.functionCode, 0);
    pdu.writeUInt8(bytes, 1);
    reply.bits.forEach((bit, i) => {
      if (bit) pdu[2 + (i >> 3)]! |= 1 << (i & 7);
    });
    return pdu;
  }
  if ('echo' in reply) {
    const pdu = Buffer.alloc(5);
    pdu.writeUInt8(request.functionCode, 0);
    pdu.writeUInt16BE(request.address, 1);
    pdu.writeUInt16BE(request.quantity, 3);
    return pdu;
  }
  return undefined;
}

function parseRequest(bytes: Buffer, socket: Socket): ReceivedRequest {
  const functionCode = bytes.readUInt8(7);
  const values: number[] = [];
  if (functionCode === 16) {
    const count = bytes.readUInt16BE(10);
    for (let i = 0; i < count; i++) values.push(bytes.readUInt16BE(13 + i * 2));
  }
  return {
    transactionId: bytes.readUInt16BE(0),
    unitId: bytes.readUInt8(6),
    functionCode,
    address: bytes.readUInt16BE(8),
    quantity: bytes.readUInt16BE(10),
    values,
    socket,
  };
}

async function send(socket: Socket, bytes: Buffer, segments: number[] | undefined): Promise<void> {
  if (!segments) {
    socket.write(bytes);
    return;
  }
  let offset = 0;
  for (const size of [...segments, bytes.length]) {
    if (offset >= bytes.length) break;
    socket.write(bytes.subarray(offset, Math.min(bytes.length, offset + size)));
    offset += size;
    // A pause between writes makes the kernel send separate TCP segments.
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** Starts the server on a free loopback port. */
export async function startRawTcpServer(handler: RequestHandler): Promise<RawTcpServer> {
  const sockets = new Set<Socket>();
  const state = { requests: [] as ReceivedRequest[], connections: 0 };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    state.connections++;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 7 && buffer.length >= 6 + buffer.readUInt16BE(4)) {
        const length = 6 + buffer.readUInt16BE(4);
        const request = parseRequest(buffer.subarray(0, length), socket);
        buffer = buffer.subarray(length);
        state.requests.push(request);
        const reply = handler(request);
        if ('close' in reply) {
          socket.destroy();
          return;
        }
        const pdu = replyPdu(request, reply);
        if (!pdu) continue;
        const unitId = 'unitId' in reply && reply.unitId !== undefined ? reply.unitId : request.unitId;
        const bytes = frame(request.transactionId, unitId, pdu);
        const delayMs = 'delayMs' in reply ? (reply.delayMs ?? 0) : 0;
        const segments = 'segments' in reply ? reply.segments : undefined;
        setTimeout(() => {
          if (!socket.destroyed) void send(socket, bytes, segments);
        }, delayMs);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Serves a register image. Reads inside it get the values, and anything else gets exception 2. */
export function imageHandler(image: Map<number, number>): RequestHandler {
  return (request) => {
    if (request.functionCode === 3 || request.functionCode === 4) {
      const registers: number[] = [];
      for (let i = 0; i < request.quantity; i++) {
        const value = image.get(request.address + i);
        if (value === undefined) return { exception: 2 };
        registers.push(value);
      }
      return { registers };
    }
    if (request.functionCode === 6) {
      image.set(request.address, request.quantity);
      return { echo: true };
    }
    if (request.functionCode === 16) {
      request.values.forEach((value, i) => image.set(request.address + i, value));
      return { echo: true };
    }
    return { exception: 1 };
  };
}
