import { connect, type Socket } from 'node:net';

/*
 * A minimal Redis client over RESP2, enough for the demo's PING and for deleting the demo's keys on
 * --reset, so the demo needs no Redis library. It sends one command at a time on one connection.
 */

/** A RESP2 reply: simple string, integer, bulk string (null for nil) or array. */
export type RedisReply = string | number | null | RedisReply[];

/** The server replied with a RESP error, such as NOAUTH or WRONGPASS. */
export class RedisReplyError extends Error {
  override name = 'RedisReplyError';
}

function encode(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(''));
}

/** Parses one reply at `offset`; returns undefined when the buffer does not contain all of it yet. */
function parseReply(buffer: Buffer, offset: number): { reply: RedisReply | RedisReplyError; next: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[offset]!);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+':
      return { reply: line, next: afterLine };
    case '-':
      return { reply: new RedisReplyError(line), next: afterLine };
    case ':':
      return { reply: Number(line), next: afterLine };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: null, next: afterLine };
      if (buffer.length < afterLine + length + 2) return undefined;
      return { reply: buffer.toString('utf8', afterLine, afterLine + length), next: afterLine + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: null, next: afterLine };
      const items: RedisReply[] = [];
      let next = afterLine;
      for (let index = 0; index < count; index++) {
        const item = parseReply(buffer, next);
        if (item === undefined) return undefined;
        if (item.reply instanceof RedisReplyError) return item;
        items.push(item.reply);
        next = item.next;
      }
      return { reply: items, next };
    }
    default:
      throw new Error(`unexpected reply type "${type}" from Redis`);
  }
}

/** One connection to Redis; `close` ends it. */
export class RedisConnection {
  private buffer = Buffer.alloc(0);
  private waiting: { resolve: (reply: RedisReply) => void; reject: (error: Error) => void } | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      const parsed = parseReply(this.buffer, 0);
      if (parsed === undefined || this.waiting === undefined) return;
      this.buffer = this.buffer.subarray(parsed.next);
      const { resolve, reject } = this.waiting;
      this.waiting = undefined;
      if (parsed.reply instanceof RedisReplyError) reject(parsed.reply);
      else resolve(parsed.reply);
    });
    const fail = (error: Error) => {
      this.waiting?.reject(error);
      this.waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('Redis closed the connection')));
  }

  /** Connects to the redis:// URL within `timeoutMs`, sending AUTH and SELECT when the URL has a password or a database. */
  static async open(url: string, timeoutMs: number): Promise<RedisConnection> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'redis:') throw new Error(`unsupported Redis URL scheme "${parsed.protocol}": the demo's check speaks plain redis:// only`);
    const socket = connect({ host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 6379) });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no response within ${timeoutMs} ms`)));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const connection = new RedisConnection(socket);
    const password = decodeURIComponent(parsed.password);
    if (password !== '') {
      const user = decodeURIComponent(parsed.username);
      await connection.command(user === '' ? ['AUTH', password] : ['AUTH', user, password]);
    }
    const database = parsed.pathname.slice(1);
    if (database !== '') await connection.command(['SELECT', database]);
    return connection;
  }

  command(args: readonly string[]): Promise<RedisReply> {
    if (this.waiting !== undefined) return Promise.reject(new Error('RedisConnection sends one command at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(encode(args));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Deletes every key that starts with `prefix` and returns how many. */
export async function deleteKeysWithPrefix(connection: RedisConnection, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const reply = (await connection.command(['SCAN', cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', '500'])) as [string, string[]];
    cursor = reply[0];
    if (reply[1].length > 0) deleted += (await connection.command(['UNLINK', ...reply[1]])) as number;
  } while (cursor !== '0');
  return deleted;
}
