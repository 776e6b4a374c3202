import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../src/config/schema';
import { createSilentLogger } from '../../src/logger';
import { SetupError } from '../../src/setup/setup-errors';
import { SetupService, type SetupServiceOptions } from '../../src/setup/setup-service';
import type { SetupSession } from '../../src/setup/setup-sessions';

/*
 * The setup service on real files and a real socket: finish that cannot write the site file, a hub
 * that accepts the connection but never responds, and the checks of the standalone site.
 */

let dir: string;
let service: SetupService | undefined;
let finished: SiteConfig[];
const sockets: Socket[] = [];
let silentHub: Server | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-setup-service-'));
  finished = [];
});

afterEach(async () => {
  service?.close();
  service = undefined;
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise((closed) => (silentHub ? silentHub.close(closed) : closed(undefined)));
  silentHub = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function open(options: Partial<SetupServiceOptions> = {}): { setup: SetupService; session: SetupSession } {
  const setup = new SetupService({
    dataDir: join(dir, 'data'),
    configPath: join(dir, 'etc', 'site.yaml'),
    logger: createSilentLogger(),
    onFinished: (config) => finished.push(config),
    ...options,
  });
  service = setup;
  const { token } = setup.unlock(setup.code);
  return { setup, session: setup.authorize(`Bearer ${token}`) };
}

async function failure(promise: Promise<unknown>): Promise<SetupError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SetupError)) throw new Error(`expected a SetupError, got ${String(error)}`);
  return error;
}

/** Starts a TCP server that accepts connections and never sends a byte, like a stuck proxy. */
async function startSilentHub(): Promise<string> {
  silentHub = createServer((socket) => sockets.push(socket));
  await new Promise<void>((listening) => silentHub!.listen(0, '127.0.0.1', listening));
  const address = silentHub.address();
  if (address === null || typeof address === 'string') throw new Error('the silent hub has no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

async function readyToFinish(setup: SetupService, session: SetupSession): Promise<void> {
  await setup.createAdmin(session, { username: 'installer', password: 'a long enough password' });
  await setup.standalone(session, { siteName: 'Depot', timeZone: 'UTC' });
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe('setup finish', () => {
  it('stays in setup when the site file cannot be written', async () => {
    const configPath = join(dir, 'blocker', 'site.yaml');
    writeFileSync(join(dir, 'blocker'), 'a file where a folder is expected\n');
    const { setup, session } = open({ configPath });
    await readyToFinish(setup, session);

    const error = await failure(setup.finish(session));

    expect(error.status).toBe(500);
    expect(error.message).toContain(configPath);
    expect(error.message).toMatch(/ENOTDIR|EEXIST/);
    expect(setup.status().state).toBe('setup');
    expect(setup.complete).toBe(false);
    expect(existsSync(join(dir, 'data', 'setup-code'))).toBe(true);
  });

  it('finishes after the cause is fixed', async () => {
    const configPath = join(dir, 'blocker', 'site.yaml');
    writeFileSync(join(dir, 'blocker'), 'a file where a folder is expected\n');
    const { setup, session } = open({ configPath });
    await readyToFinish(setup, session);
    await failure(setup.finish(session));
    rmSync(join(dir, 'blocker'));
    mkdirSync(join(dir, 'blocker'));

    const result = await setup.finish(session);
    await nextTick();

    expect(result.state).toBe('complete');
    expect(setup.status().state).toBe('complete');
    expect(readFileSync(configPath, 'utf8')).toContain('name: Depot');
    expect(finished).toHaveLength(1);
    expect(existsSync(join(dir, 'data', 'setup-code'))).toBe(false);
    expect(existsSync(join(dir, 'data', 'setup-progress.json'))).toBe(false);
  });

  it('rejects a standalone site next to a cloud credential', async () => {
    const { setup, session } = open();
    await readyToFinish(setup, session);
    writeFileSync(join(dir, 'data', 'cloud-credential.json'), '{}\n');

    const error = await failure(setup.finish(session));

    expect(error.status).toBe(409);
    expect(error.code).toBe('already_paired');
    expect(existsSync(join(dir, 'etc', 'site.yaml'))).toBe(false);
  });
});

describe('setup pairing', () => {
  it('times out against a hub that never responds', async () => {
    const cloudUrl = await startSilentHub();
    const { setup, session } = open({ pairingTimeoutMs: 300 });

    const error = await failure(setup.pair(session, { cloudUrl, code: '7K3M-Q9TX-2B' }));

    expect(error.status).toBe(502);
    expect(error.message).toContain(`${cloudUrl}/api/edge/pair`);
    expect(error.message).toContain('did not respond within 0.3 s');
  });

  it('rejects finish while pairing and aborts it on close', async () => {
    const cloudUrl = await startSilentHub();
    const { setup, session } = open({ pairingTimeoutMs: 30_000 });
    await readyToFinish(setup, session);
    const pairing = failure(setup.pair(session, { cloudUrl, code: '7K3M-Q9TX-2B' }));
    await nextTick();

    const finishing = await failure(setup.finish(session));
    setup.close();
    service = undefined;
    const aborted = await pairing;

    expect(finishing.status).toBe(409);
    expect(finishing.code).toBe('pairing_in_progress');
    expect(aborted.status).toBe(409);
    expect(existsSync(join(dir, 'data', 'cloud-credential.json'))).toBe(false);
    expect(existsSync(join(dir, 'etc', 'site.yaml'))).toBe(false);
  });
});

describe('setup standalone site', () => {
  it('stores the canonical time zone', async () => {
    const { setup, session } = open();

    const site = await setup.standalone(session, { siteName: 'Müller Straße', timeZone: 'europe/berlin' });

    expect(site).toEqual({ mode: 'standalone', siteId: 'muller-strasse', siteName: 'Müller Straße', timeZone: 'Europe/Berlin' });
  });

  const badNames: [string, string][] = [
    ['a line break', 'Depot\nEvil'],
    ['a NUL', 'Depot\u0000'],
    ['a right-to-left override', 'Depot \u202Egpj.exe'],
    ['a first-strong isolate', 'Depot \u2068x'],
  ];
  it.each(badNames)('rejects a site name with %s', async (_case, siteName) => {
    const { setup, session } = open();

    const error = await failure(setup.standalone(session, { siteName, timeZone: 'UTC' }));

    expect(error.status).toBe(400);
    expect(error.parameter).toBe('siteName');
    expect(error.message).toContain('control character U+');
  });

  it('rejects an unknown time zone', async () => {
    const { setup, session } = open();

    const error = await failure(setup.standalone(session, { siteName: 'Depot', timeZone: 'Mars/Olympus' }));

    expect(error.parameter).toBe('timeZone');
    expect(error.message).toContain('"Mars/Olympus"');
  });
});
