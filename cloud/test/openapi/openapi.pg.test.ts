import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

/*
 * The OpenAPI document must describe every route the app serves, and the Swagger UI page must load
 * everything from the hub itself.
 */

let fixture: CloudFixture;
let publicFixture: CloudFixture;
let developerToken: string;
let viewerToken: string;
let publicViewerToken: string;
let document: any;

/** Seeds a viewer with one site grant and logs them in. */
async function seedViewer(target: CloudFixture): Promise<string> {
  const seed = new Seed(target);
  const organizationId = await seed.organization('Acme');
  const siteId = await seed.site(organizationId, 'Plant A');
  const viewerId = await seed.user('viewer@acme.test');
  await seed.membership(viewerId, organizationId);
  await seed.siteAccess(viewerId, siteId, 'viewer');
  return login(target.app, 'viewer@acme.test');
}

beforeAll(async () => {
  fixture = await createCloudFixture('openapi');
  await new Seed(fixture).user('developer@dev.test', { developer: true });
  developerToken = await login(fixture.app, 'developer@dev.test');
  viewerToken = await seedViewer(fixture);

  publicFixture = await createCloudFixture('openapi_public', { apiDocsAccess: 'public' });
  publicViewerToken = await seedViewer(publicFixture);

  const response = await call(fixture.app, developerToken, 'GET', '/api/openapi.json');
  if (response.status !== 200) throw new Error(`GET /api/openapi.json as a developer returned ${response.status}: ${JSON.stringify(response.body)}`);
  document = response.body;
});

afterAll(async () => {
  await fixture?.close();
  await publicFixture?.close();
});

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Lists the routes registered in the app once each, as a lowercase method and an OpenAPI path template.
 * Middleware entries (method ALL, wildcard paths) are no routes. Hono lists a route once per handler,
 * and the validators are handlers too.
 */
function registeredRoutes(): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const route of fixture.app.routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const method = route.method.toLowerCase();
    seen.set(`${method} ${path}`, { method, path });
  }
  return [...seen.values()];
}

/** Lists the operations in the document as lowercase method and path. */
function documentedOperations(): { method: string; path: string; operation: any }[] {
  return Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

/** Fills the path parameters of a template with a UUID, which is a well-formed id that names nothing. */
function concretePath(template: string): string {
  return template.replace(/\{[^}]+\}/g, '0b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11');
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
  });

  it('lists more than a handful of routes', () => {
    // Guards the checks below against passing on an empty route list.
    expect(registeredRoutes().length).toBeGreaterThan(40);
  });

  it('documents every registered route', () => {
    const missing = registeredRoutes()
      .filter(({ method, path }) => document.paths?.[path]?.[method] === undefined)
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
  });

  it('documents only registered routes', () => {
    const registered = new Set(registeredRoutes().map(({ method, path }) => `${method} ${path}`));
    const phantom = documentedOperations()
      .filter(({ method, path }) => !registered.has(`${method} ${path}`))
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(phantom).toEqual([]);
  });

  it('gives every operation a summary', () => {
    const unsummarized = documentedOperations()
      .filter(({ operation }) => typeof operation.summary !== 'string' || operation.summary.trim() === '')
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(unsummarized).toEqual([]);
  });

  it('defines the bearerAuth scheme', () => {
    expect(document.components?.securitySchemes?.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('declares bearerAuth exactly on routes that need a token', async () => {
    const mismatches: string[] = [];
    for (const { method, path } of registeredRoutes()) {
      const response = await call(fixture.app, null, method.toUpperCase(), concretePath(path));
      // Only the authentication middleware returns this code, and it runs before any handler.
      const needsToken = response.status === 401 && response.body?.error?.code === 'unauthenticated';
      const security: Record<string, unknown>[] = document.paths?.[path]?.[method]?.security ?? [];
      const declared = security.some((requirement) => 'bearerAuth' in requirement);
      if (needsToken !== declared) mismatches.push(`${method.toUpperCase()} ${path}: needs a token ${needsToken}, declares bearerAuth ${declared}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('Swagger UI page', () => {
  let html: string;
  let assetUrls: string[];

  beforeAll(async () => {
    const response = await fixture.app.request('/api/docs');
    html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]*)"/g)].map((match) => match[1]!);
    const stylesheets = [...html.matchAll(/<link\b[^>]*\bhref="([^"]*)"/g)].map((match) => match[1]!);
    assetUrls = [...scripts, ...stylesheets];
  });

  it('is HTML served without a token', async () => {
    const response = await fixture.app.request('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('names a script and a stylesheet', () => {
    expect(assetUrls.some((url) => url.endsWith('.js'))).toBe(true);
    expect(assetUrls.some((url) => url.endsWith('.css'))).toBe(true);
  });

  it('loads assets by paths on the hub', () => {
    const offHub = assetUrls.filter((url) => !url.startsWith('/') || url.startsWith('//'));
    expect(offHub).toEqual([]);
  });

  it('names no absolute http or https URL', () => {
    expect(html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).toEqual([]);
  });

  it('loads the document from the hub', () => {
    expect(html).toContain("url: '/api/openapi.json'");
  });

  it('serves each asset with its media type', async () => {
    for (const url of assetUrls) {
      const response = await fixture.app.request(url);
      expect(response.status, url).toBe(200);
      const expected = url.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/;
      expect(response.headers.get('content-type'), url).toMatch(expected);
      expect((await response.arrayBuffer()).byteLength, url).toBeGreaterThan(1000);
    }
  });
});

describe('document access', () => {
  it('is forbidden to a viewer', async () => {
    const { status, body } = await call(fixture.app, viewerToken, 'GET', '/api/openapi.json');
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
  });

  it('needs a token for developers only', async () => {
    const { status } = await call(fixture.app, null, 'GET', '/api/openapi.json');
    expect(status).toBe(401);
  });

  it('is open to anyone when public', async () => {
    const { status, body } = await call(publicFixture.app, null, 'GET', '/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\.1\./);
  });

  it('is open to a viewer when public', async () => {
    const { status, body } = await call(publicFixture.app, publicViewerToken, 'GET', '/api/openapi.json');
    expect(status).toBe(200);
    expect(body.paths['/api/sites/{siteId}']).toBeDefined();
  });
});
