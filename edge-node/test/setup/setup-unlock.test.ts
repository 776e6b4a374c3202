import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logger';
import { startSetupMode, type RunningSetupMode } from '../../src/setup/setup-mode';
import { requestJson } from './support/setup-process';

/* The setup code over the real HTTP server of setup mode: the lockout after wrong codes, and restarts. */

let dir: string;
let running: RunningSetupMode | undefined;
let printed: string[];

async function start(): Promise<RunningSetupMode> {
  running = await startSetupMode({
    configPath: join(dir, 'site.yaml'),
    dataDir: join(dir, 'data'),
    host: '127.0.0.1',
    port: 0,
    allowRemote: false,
    logger: createSilentLogger(),
    print: (text) => printed.push(text),
    startNode: () => Promise.reject(new Error('setup is not finished in these tests')),
  });
  return running;
}

function wrongCode(code: string): string {
  return code.endsWith('0') ? `${code.slice(0, -1)}1` : `${code.slice(0, -1)}0`;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-setup-unlock-'));
  printed = [];
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('setup unlock', () => {
  it('locks out after five wrong codes', async () => {
    const setup = await start();
    const unlock = (code: string) => requestJson(`${setup.url}/api/setup/unlock`, 'POST', { code });

    const messages: string[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await unlock(wrongCode(setup.setupCode));
      expect(wrong.status, `wrong code ${attempt}`).toBe(401);
      messages.push(wrong.body.error.message);
    }
    const fifth = await unlock(wrongCode(setup.setupCode));
    const rightAfterLockout = await unlock(setup.setupCode);

    expect(messages[0]).toContain('4 tries left');
    expect(messages[3]).toContain('1 try left');
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.message).toMatch(/retry in 15 minutes, after \d{2}:\d{2} \S+ on this node's clock/);
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(rightAfterLockout.status).toBe(429);
  });

  it('counts only well-formed codes toward the lockout', async () => {
    const setup = await start();
    const unlock = (code: string) => requestJson(`${setup.url}/api/setup/unlock`, 'POST', { code });

    const malformed = [];
    for (const code of ['1234', 'abcd-efgh', '123456789', '', '1234-567x', '1234-56']) malformed.push(await unlock(code));
    const right = await unlock(setup.setupCode);

    expect(malformed.map((response) => response.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(malformed[0]!.body.error.message).toContain('enter the 8 digits');
    expect(right.status).toBe(200);
  });

  it('rejects a body that is not declared as JSON', async () => {
    const setup = await start();
    const posts = [];
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      posts.push(await fetch(`${setup.url}/api/setup/unlock`, { method: 'POST', headers: { 'Content-Type': contentType }, body: JSON.stringify({ code: '11111111' }) }));
    }
    const json = await fetch(`${setup.url}/api/setup/unlock`, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ code: setup.setupCode }) });

    expect(posts.map((response) => response.status)).toEqual([415, 415, 415]);
    expect(((await posts[0]!.json()) as { error: { message: string } }).error.message).toContain('"text/plain"');
    expect(json.status).toBe(200);
  });

  it('rejects a post from another origin', async () => {
    const setup = await start();
    const post = (origin: string) =>
      fetch(`${setup.url}/api/setup/unlock`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ code: setup.setupCode }) });

    const foreign = await post('https://attacker.example');
    const opaque = await post('null');
    const same = await post(setup.url);

    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { message: string } }).error.message).toContain('"https://attacker.example"');
    expect(opaque.status).toBe(403);
    expect(same.status).toBe(200);
  });

  it('accepts the code with spaces or without the dash', async () => {
    const setup = await start();
    const spaced = `${setup.setupCode.slice(0, 4)} ${setup.setupCode.slice(4)}`;

    const first = await requestJson(`${setup.url}/api/setup/unlock`, 'POST', { code: spaced });
    const second = await requestJson(`${setup.url}/api/setup/unlock`, 'POST', { code: setup.setupCode });

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.token).not.toBe(first.body.token);
  });

  it('keeps the code across a restart', async () => {
    const first = await start();
    const code = first.setupCode;
    await first.stop();
    running = undefined;

    const second = await start();

    expect(second.setupCode).toBe(code);
    expect(printed).toHaveLength(2);
    expect(printed[1]).toContain(`Setup code: ${code.slice(0, 4)}-${code.slice(4)}`);
  });

  it('keeps the chosen site across a restart', async () => {
    const first = await start();
    const { body } = await requestJson(`${first.url}/api/setup/unlock`, 'POST', { code: first.setupCode });
    await requestJson(`${first.url}/api/setup/standalone`, 'POST', { siteName: 'Depot 7', timeZone: 'UTC' }, body.token);
    await first.stop();
    running = undefined;

    const second = await start();
    const status = await requestJson(`${second.url}/api/setup/status`, 'GET');
    const oldToken = await requestJson(`${second.url}/api/setup/templates`, 'GET', undefined, body.token);

    expect(status.body.steps.site).toEqual({ mode: 'standalone', siteId: 'depot-7', siteName: 'Depot 7', timeZone: 'UTC' });
    expect(oldToken.status).toBe(401);
  });
});
