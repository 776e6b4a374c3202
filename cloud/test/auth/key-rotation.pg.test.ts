import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, expiredKeyFiles, KEY_PUBLISH_DELAY_MS, loadKeySet } from '../../src/auth/signing-keys';
import { KEY_RETAIN_MS } from '../../src/service';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let firstKid: string;
let firstCreatedAtMs: number;

beforeAll(async () => {
  fixture = await createCloudFixture('key_rotation');
  const seed = new Seed(fixture);
  const organizationId = await seed.organization('Acme');
  const userId = await seed.user('ana@acme.test');
  await seed.membership(userId, organizationId);
  firstKid = fixture.deps.keys().current.kid;
  firstCreatedAtMs = fixture.deps.keys().current.createdAtMs;
});

afterAll(async () => {
  await fixture?.close();
});

async function jwks(): Promise<JWK[]> {
  const { status, body } = await call(fixture.app, null, 'GET', '/.well-known/jwks.json');
  expect(status).toBe(200);
  return body.keys as JWK[];
}

async function validate(token: string) {
  return call(fixture.app, token, 'GET', '/api/validate-token');
}

describe('JWKS', () => {
  it('lists the current key', async () => {
    const keys = await jwks();
    expect(keys.map((key) => key.kid)).toEqual([firstKid]);
  });

  it('publishes a public ES256 signing key only', async () => {
    const [key] = await jwks();
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key!.d).toBeUndefined();
  });

  it('is cacheable for five minutes', async () => {
    const response = await fixture.app.request('/.well-known/jwks.json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('needs no token', async () => {
    const response = await fixture.app.request('/.well-known/jwks.json');
    expect(response.status).toBe(200);
  });
});

// These steps share the keys folder and run in order: rotate, then let the old key expire.
describe('key rotation', () => {
  let oldToken: string;
  let secondKid: string;
  const secondCreatedAtMs = () => firstCreatedAtMs + 1000;

  it('publishes a new key before signing with it', async () => {
    oldToken = await login(fixture.app, 'ana@acme.test');
    secondKid = await createSigningKey(fixture.keysDir, secondCreatedAtMs());
    fixture.setKeys(await loadKeySet(fixture.keysDir, KEY_RETAIN_MS, secondCreatedAtMs() + KEY_PUBLISH_DELAY_MS - 1));

    expect(fixture.deps.keys().current.kid).toBe(firstKid);
    expect((await jwks()).map((key) => key.kid)).toEqual([secondKid, firstKid]);
  });

  it('signs new tokens with the newer key', async () => {
    fixture.setKeys(await loadKeySet(fixture.keysDir, KEY_RETAIN_MS, secondCreatedAtMs() + KEY_PUBLISH_DELAY_MS));

    const newToken = await login(fixture.app, 'ana@acme.test');
    expect(decodeProtectedHeader(newToken).kid).toBe(secondKid);
    expect((await validate(newToken)).status).toBe(200);
  });

  it('still verifies a token of the old key', async () => {
    expect(decodeProtectedHeader(oldToken).kid).toBe(firstKid);
    expect((await validate(oldToken)).status).toBe(200);
  });

  it('lists both keys, newest first', async () => {
    const keys = await jwks();
    expect(keys.map((key) => key.kid)).toEqual([secondKid, firstKid]);
  });

  it('keeps the old key file until the retention ends', () => {
    expect(expiredKeyFiles(fixture.keysDir, KEY_RETAIN_MS, secondCreatedAtMs() + KEY_PUBLISH_DELAY_MS + KEY_RETAIN_MS)).toEqual([]);
  });

  it('drops the old key after the retention', async () => {
    fixture.setKeys(await loadKeySet(fixture.keysDir, KEY_RETAIN_MS, secondCreatedAtMs() + KEY_PUBLISH_DELAY_MS + KEY_RETAIN_MS + 1));
    const keys = await jwks();
    expect(keys.map((key) => key.kid)).toEqual([secondKid]);
  });

  it('rejects a token of the dropped key', async () => {
    const { status, body } = await validate(oldToken);
    expect(status).toBe(401);
    expect(body.error.code).toBe('invalid_token');
    expect(body.error.message).toContain(firstKid);
  });

  it('lists the dropped key file for deletion', () => {
    const files = expiredKeyFiles(fixture.keysDir, KEY_RETAIN_MS, secondCreatedAtMs() + KEY_PUBLISH_DELAY_MS + KEY_RETAIN_MS + 1);
    expect(files).toEqual([`${firstCreatedAtMs}-${firstKid}.pem`]);
  });
});

describe('loadKeySet', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-keys-test-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects an empty folder', async () => {
    await expect(loadKeySet(dir, KEY_RETAIN_MS)).rejects.toThrow(/contains no signing key/);
  });

  it('rejects a missing folder', async () => {
    await expect(loadKeySet(join(dir, 'missing'), KEY_RETAIN_MS)).rejects.toThrow(/cannot be read/);
  });

  it('rejects a key whose file name names another kid', async () => {
    const kid = await createSigningKey(dir, 1_700_000_000_000);
    const forgedKid = 'A'.repeat(43);
    copyFileSync(join(dir, `1700000000000-${kid}.pem`), join(dir, `1700000000001-${forgedKid}.pem`));
    await expect(loadKeySet(dir, KEY_RETAIN_MS, 1_700_000_000_002)).rejects.toThrow(/does not match its name/);
  });

  it('ignores files that are not keys', async () => {
    const other = mkdtempSync(join(tmpdir(), 'cloud-keys-test-'));
    try {
      const kid = await createSigningKey(other, 1_700_000_000_000);
      copyFileSync(join(other, `1700000000000-${kid}.pem`), join(other, `README.pem`));
      const keys = await loadKeySet(other, KEY_RETAIN_MS, 1_700_000_000_000);
      expect(keys.verifying.map((key) => key.kid)).toEqual([kid]);
      expect(readdirSync(other)).toHaveLength(2);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
