import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';

const allowedOrigins = ['https://ems.test', 'https://admin.ems.test'];

let fixture: CloudFixture;

beforeAll(async () => {
  fixture = await createCloudFixture('cors', { corsOrigins: allowedOrigins });
});

afterAll(async () => {
  await fixture?.close();
});

async function preflight(origin: string, path = '/api/auth/login') {
  return fixture.app.request(path, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
}

describe('CORS', () => {
  it.each(allowedOrigins)('allows the preflight from %s', async (origin) => {
    const response = await preflight(origin);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it.each(['https://attacker.example', 'https://ems.test.attacker.example', 'http://ems.test', 'null'])(
    'gives no Allow-Origin to %s',
    async (origin) => {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it('allows a preflight without a token', async () => {
    const response = await preflight('https://ems.test', '/api/validate-token');
    expect(response.status).toBe(204);
  });

  it('gives no Allow-Origin to a plain request from another origin', async () => {
    const response = await fixture.app.request('/.well-known/jwks.json', { headers: { Origin: 'https://attacker.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows an origin on a plain request', async () => {
    const response = await fixture.app.request('/api/validate-token', { headers: { Origin: 'https://ems.test' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://ems.test');
    expect(response.headers.get('vary')).toMatch(/Origin/i);
  });

  it('exposes Retry-After to the web app', async () => {
    const response = await fixture.app.request('/api/validate-token', { headers: { Origin: 'https://ems.test' } });
    expect(response.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
  });
});
