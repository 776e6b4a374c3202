import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, loadKeySet, KEY_PUBLISH_DELAY_MS } from '../../src/auth/signing-keys';
import { KEY_RETAIN_MS } from '../../src/service';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { runCli } from './run-cli';

const DAY_MS = 24 * 3600 * 1000;
let fixture: CloudFixture;
const scratchDirs: string[] = [];

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-cli-keys-'));
  scratchDirs.push(dir);
  return dir;
}

/** Extracts the kid of the created key from the CLI output. */
function createdKid(stdout: string): string {
  const match = /^created signing key ([A-Za-z0-9_-]{43}) in /m.exec(stdout);
  if (!match) throw new Error(`no created key in: ${stdout}`);
  return match[1]!;
}

beforeAll(async () => {
  fixture = await createCloudFixture('cli_keys');
});

afterAll(async () => {
  await fixture?.close();
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('cloud keys rotate', () => {
  it('leaves two keys that both appear in the JWKS', async () => {
    const previousKid = (await loadKeySet(fixture.keysDir, KEY_RETAIN_MS)).current.kid;
    const { code, stdout } = await runCli(['keys', 'rotate'], { env: { JWT_KEYS_DIR: fixture.keysDir } });
    expect(code).toBe(0);
    const kid = createdKid(stdout);
    expect(readdirSync(fixture.keysDir)).toHaveLength(2);

    const keys = await loadKeySet(fixture.keysDir, KEY_RETAIN_MS);
    expect(keys.current.kid).toBe(previousKid);
    expect((await loadKeySet(fixture.keysDir, KEY_RETAIN_MS, Date.now() + KEY_PUBLISH_DELAY_MS)).current.kid).toBe(kid);
    fixture.setKeys(keys);
    const { body } = await call(fixture.app, null, 'GET', '/.well-known/jwks.json');
    expect(body.keys.map((key: { kid: string }) => key.kid).sort()).toEqual([kid, previousKid].sort());
  });

  it('deletes keys whose tokens have all expired', async () => {
    const dir = scratchDir();
    const now = Date.now();
    await createSigningKey(dir, now - 3 * DAY_MS);
    await createSigningKey(dir, now - 2 * DAY_MS);
    const [oldest, replaced] = readdirSync(dir).sort();

    const { code, stdout } = await runCli(['keys', 'rotate'], { env: { JWT_KEYS_DIR: dir } });
    expect(code).toBe(0);
    expect(stdout).toContain(`deleted expired key file ${oldest}`);
    const remaining = readdirSync(dir).sort();
    expect(remaining).toHaveLength(2);
    expect(remaining[0]).toBe(replaced);
    expect(remaining[1]).toContain(createdKid(stdout));
  });

  it('creates a missing folder', async () => {
    const dir = join(scratchDir(), 'keys');
    const { code } = await runCli(['keys', 'rotate'], { env: { JWT_KEYS_DIR: dir } });
    expect(code).toBe(0);
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
