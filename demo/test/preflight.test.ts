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
    expect(stderr).toContain(`  - Postgres is not reachable at 127.0.0.1:${postgresPort} (from DEMO_DATABASE_URL): connection refused\n`);
    expect(stderr).toContain('      Debian: sudo apt-get install -y postgresql && sudo systemctl start postgresql\n');
    expect(stderr).toContain('      Docker: docker run -d --name simtestlab-demo-postgres -p 127.0.0.1:5432:5432 -e POSTGRES_PASSWORD=postgres postgres:16\n');
    expect(stderr).toContain('      Each of these serves 127.0.0.1:5432; if DEMO_DATABASE_URL names another address, change it to match.\n');
    expect(stderr).toContain(`  - Redis is not reachable at 127.0.0.1:${redisPort} (from REDIS_URL): connection refused\n`);
    expect(stderr).toContain('      Debian: sudo apt-get install -y redis-server && sudo systemctl start redis-server\n');
    expect(stderr).toContain('      Docker: docker run -d --name simtestlab-demo-redis -p 127.0.0.1:6379:6379 redis:7\n');
    expect(stderr).toMatch(/Compose: cd \S+ && docker compose -f docker-compose\.yml -f deploy\/compose\/publish-databases\.yml up -d postgres redis\n/);
    expect(stderr).toContain('        and run: DEMO_DATABASE_URL=postgres://postgres:postgres_superuser_password@127.0.0.1:5432/postgres pnpm demo\n');
    expect(stderr).not.toContain('web app is not built');
  });

  it('tells to correct a rejected user', async () => {
    const role = `no_such_role_${process.pid}`;
    const { code, stderr } = await runDemoCli(['--api-only', '--hub-port', String(await spareTcpPort()), '--edge-ports', `${await spareTcpPort()},${await spareTcpPort()}`], {
      DEMO_DATABASE_URL: `postgres://${role}@127.0.0.1:5432/postgres`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`  - Postgres at 127.0.0.1:5432 (from DEMO_DATABASE_URL) rejected the login: role "${role}" does not exist\n`);
    expect(stderr).toContain('      correct the user and password in DEMO_DATABASE_URL: a role that may create databases and roles, such as\n');
  });

  it('names a busy simulator port', async () => {
    // Binds the Modbus port of site A's inverter. When another process has it already, the check finds that one.
    const simulatorPort = 15502;
    const holder = createServer();
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen(simulatorPort, '127.0.0.1', resolve);
    });
    try {
      const { code, stderr } = await runDemoCli(['--api-only', '--hub-port', String(await spareTcpPort()), '--edge-ports', `${await spareTcpPort()},${await spareTcpPort()}`], {
        DEMO_DATABASE_URL: `postgres://postgres@127.0.0.1:${postgresPort}/postgres`,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      });
      expect(code).toBe(1);
      const problem = stderr.split('  - ').find((part) => part.startsWith(`TCP port ${simulatorPort} `));
      expect(problem).toContain('needed by a Modbus simulator, is in use');
      expect(problem).toContain('"edge-node simulate"; the simulator ports are fixed');
      expect(problem).not.toContain('--hub-port');
      expect(problem).not.toContain('--edge-ports');
    } finally {
      holder.close();
    }
  });

  it('names a port in use', async () => {
    const { code, stderr } = await runDemoCli(['--api-only', '--hub-port', String(busyPort), '--edge-ports', `${await spareTcpPort()},${await spareTcpPort()}`], {
      DEMO_DATABASE_URL: `postgres://postgres@127.0.0.1:${postgresPort}/postgres`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`  - TCP port ${busyPort} on 127.0.0.1, needed by the hub (--hub-port), is in use\n`);
  });

  it.each([
    [['--edge-ports', '18781,18781'], '--edge-ports: both edges have port 18781, expected two different ports'],
    [['--hub-port', '18790', '--edge-ports', '18790,18782'], '--hub-port 18790 is also in --edge-ports'],
  ])('rejects duplicate ports %j', async (args, message) => {
    const { code, stderr } = await runDemoCli(args, {});
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('rejects an invalid option value', async () => {
    const { code, stderr } = await runDemoCli(['--edge-ports', '8081'], {});
    expect(code).toBe(2);
    expect(stderr).toContain('--edge-ports: invalid value "8081", expected two ports separated by a comma');
  });
});
