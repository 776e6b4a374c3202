import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoCli, spareTcpPort } from './run-demo-cli';

let postgresPort: number;
let redisPort: number;
let busyServer: Server;
let busyPort: number;

beforeAll(async () => {
  postgresPort = await spareTcpPort();
  redisPort = await spareTcpPort();
  busyServer = createServer();
  await new Promise<void>((resolve) => busyServer.listen(0, '127.0.0.1', resolve));
  busyPort = (busyServer.address() as { port: number }).port;
});

afterAll(() => {
  busyServer?.close();
});

describe('pnpm demo preflight', () => {
  it('names unreachable Postgres and Redis', async () => {
    const edgePorts = `${await spareTcpPort()},${await spareTcpPort()}`;
    const { code, stdout, stderr } = await runDemoCli(['--api-only', '--hub-port', String(await spareTcpPort()), '--edge-ports', edgePorts], {
      DEMO_DATABASE_URL: `postgres://postgres@127.0.0.1:${postgresPort}/postgres`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('The demo cannot start:');
    expect(stderr).toContain(`  - Postgres is not reachable at 127.0.0.1:${postgresPort}: connection refused\n`);
    expect(stderr).toContain('      Debian: sudo apt-get install -y postgresql && sudo systemctl start postgresql\n');
    expect(stderr).toContain(`  - Redis is not reachable at 127.0.0.1:${redisPort}: connection refused\n`);
    expect(stderr).toContain('      Debian: sudo apt-get install -y redis-server && sudo systemctl start redis-server\n');
    expect(stderr).toContain('      Docker: docker run -d --name simtestlab-demo-redis -p 127.0.0.1:6379:6379 redis:7\n');
    expect(stderr).toMatch(/or run the whole demo in containers instead: docker compose -f \S+docker-compose\.yml up -d/);
    expect(stderr).not.toContain('web app is not built');
  });

  it('names a port in use', async () => {
    const { code, stderr } = await runDemoCli(['--api-only', '--hub-port', String(busyPort), '--edge-ports', `${await spareTcpPort()},${await spareTcpPort()}`], {
      DEMO_DATABASE_URL: `postgres://postgres@127.0.0.1:${postgresPort}/postgres`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`  - TCP port ${busyPort} on 127.0.0.1, needed by the hub (--hub-port), is in use\n`);
  });

  it('rejects an invalid option value', async () => {
    const { code, stderr } = await runDemoCli(['--edge-ports', '8081'], {});
    expect(code).toBe(2);
    expect(stderr).toContain('--edge-ports: invalid value "8081", expected two ports separated by a comma');
  });
});
