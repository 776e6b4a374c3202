import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { requireAction } from '../../src/api/auth-guard';
import { instanceRoutes, instanceSchema, type CloudPairing } from '../../src/api/routes/instance';
import { createApiFixture, type ApiFixture } from './api-fixture';

let fixture: ApiFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Mounts the public instance route before the read guard, as `createApp` mounts public routes. */
function instanceApp(site: ApiFixture, pairing?: () => CloudPairing) {
  const app = new Hono();
  app.route('/api', instanceRoutes(site.runtime, pairing));
  app.use('/api/*', requireAction(site.auth, 'dashboard.view'));
  app.get('/api/site', (c) => c.json({ guarded: true }));
  return app;
}

describe('GET /api/instance', () => {
  it('describes an unpaired edge without a token', async () => {
    fixture = await createApiFixture();

    const response = await instanceApp(fixture).request('/api/instance');

    expect(response.status).toBe(200);
    expect(instanceSchema.parse(await response.json())).toEqual({
      mode: 'edge',
      siteId: 'api-test',
      siteName: 'API test site',
      version: packageVersion,
      cloud: { paired: false, url: null },
    });
  });

  it('reports the pairing at request time', async () => {
    fixture = await createApiFixture();
    let pairing: CloudPairing = { paired: false, url: null };
    const app = instanceApp(fixture, () => pairing);

    const before = (await (await app.request('/api/instance')).json()) as { cloud: CloudPairing };
    pairing = { paired: true, url: 'http://127.0.0.1:8090' };
    const after = (await (await app.request('/api/instance')).json()) as { cloud: CloudPairing };

    expect(before.cloud).toEqual({ paired: false, url: null });
    expect(after.cloud).toEqual({ paired: true, url: 'http://127.0.0.1:8090' });
  });

  it('leaves other routes guarded', async () => {
    fixture = await createApiFixture();

    const response = await instanceApp(fixture).request('/api/site');

    expect(response.status).toBe(401);
  });
});
