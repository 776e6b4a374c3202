import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { sparePort, stopProcess } from '../sync-faults/edge-process';

/**
 * A private redis-server on a spare loopback port without persistence, for a test that kills and
 * restarts Redis, so the shared instance on 6379 is never touched.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await sparePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server on its port and resolves once it replies to PING. */
  async restart(): Promise<void> {
    let stderr = '';
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer PING within 10 s: ${stderr}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        probe.disconnect();
      }
    }
  }

  /** Kills the server with SIGKILL, so clients see their connections drop. */
  async kill(): Promise<void> {
    await stopProcess(this.child, 'SIGKILL');
  }

  async stop(): Promise<void> {
    await stopProcess(this.child);
  }
}
