import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;

beforeAll(async () => {
  fixture = await createCloudFixture('instance');
});

afterAll(async () => {
  await fixture?.close();
});

describe('GET /api/instance', () => {
  it('describes the hub without a token', async () => {
    const packageVersion = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
    const { status, body } = await call(fixture.app, null, 'GET', '/api/instance');
    expect(status).toBe(200);
    expect(body).toEqual({ mode: 'cloud', version: packageVersion, publicUrl: 'https://ems.test' });
  });
});
