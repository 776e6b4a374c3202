import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Redis the hub uses; override with TEST_REDIS_URL. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Returns a new key prefix, so stacks sharing one Redis never see each other's keys and channels. */
export function newRedisPrefix(): string {
  return `e2e:${randomBytes(5).toString('hex')}:`;
}

/** Throws naming the URL when Redis does not return PONG to PING. */
export async function checkRedis(): Promise<void> {
  try {
    const { stdout } = await run('redis-cli', ['-u', REDIS_URL, 'PING'], { timeout: 10_000 });
    if (stdout.trim() !== 'PONG') throw new Error(`PING returned "${stdout.trim()}"`);
  } catch (error) {
    throw new Error(`Redis is not reachable at ${REDIS_URL} with redis-cli; start it or set TEST_REDIS_URL`, { cause: error });
  }
}

/** Deletes every key that starts with `prefix`, with redis-cli because the UI package has no Redis client. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const { stdout } = await run('redis-cli', ['-u', REDIS_URL, '--scan', '--pattern', `${prefix}*`], { timeout: 30_000 });
  const keys = stdout.split('\n').filter((key) => key !== '');
  for (let start = 0; start < keys.length; start += 500) {
    await run('redis-cli', ['-u', REDIS_URL, 'UNLINK', ...keys.slice(start, start + 500)], { timeout: 30_000 });
  }
}
