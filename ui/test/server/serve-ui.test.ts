import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveUi } from '../../server/serve-ui';

const INDEX_HTML = '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script></body></html>';
const SCRIPT = 'console.log("ui");';
const SECRET = 'outside the UI folder';

let folder: string;
let dist: string;
let server: Server | undefined;
let baseUrl: string;

/** Builds a temporary dist folder, with a secret file beside it that must never be served. */
function writeDist(): void {
  folder = mkdtempSync(join(tmpdir(), 'serve-ui-'));
  dist = join(folder, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX_HTML);
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body { margin: 0 }');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(folder, 'secret.txt'), SECRET);
}

/** Starts the handler the way the edge and the hub mount it: after their API routes, before their 404. */
async function startServer(root: string): Promise<void> {
  const app = new Hono();
  app.get('/api/ping', (c) => c.json({ pong: true }));
  app.use('*', serveUi({ root }));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      baseUrl = `http://127.0.0.1:${info.port}`;
      resolve();
    }) as Server;
  });
}

/** Sends a path exactly as written, since fetch would normalize `..` segments before sending. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path, headers: { Accept: 'text/html' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

const html = { headers: { Accept: 'text/html,application/xhtml+xml' } };

beforeEach(async () => {
  writeDist();
  await startServer(dist);
});

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  rmSync(folder, { recursive: true, force: true });
});

describe('serveUi static files', () => {
  it('serves index.html at the root without caching', async () => {
    const response = await fetch(`${baseUrl}/`, html);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(INDEX_HTML);
  });

  it('serves hashed assets as immutable with their types', async () => {
    const script = await fetch(`${baseUrl}/assets/index-abc123.js`);
    const style = await fetch(`${baseUrl}/assets/index-abc123.css`);

    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe(SCRIPT);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('revalidates files outside assets', async () => {
    const response = await fetch(`${baseUrl}/favicon.svg`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('returns 304 for a matching ETag', async () => {
    const first = await fetch(`${baseUrl}/assets/index-abc123.js`);
    const etag = first.headers.get('etag');

    const second = await fetch(`${baseUrl}/assets/index-abc123.js`, { headers: { 'If-None-Match': etag! } });

    expect(etag).toMatch(/^W\/"/);
    expect(second.status).toBe(304);
  });

  it('answers HEAD with headers only', async () => {
    const response = await fetch(`${baseUrl}/assets/index-abc123.js`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(SCRIPT)));
    expect(await response.text()).toBe('');
  });
});

describe('serveUi fallback', () => {
  it('returns index.html for a client-side route', async () => {
    const response = await fetch(`${baseUrl}/sites/demo/devices/grid-meter`, html);

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(INDEX_HTML);
  });

  it('leaves server paths to the app', async () => {
    for (const path of ['/api/unknown', '/ws', '/metrics', '/healthz', '/.well-known/jwks.json']) {
      const response = await fetch(`${baseUrl}${path}`, html);

      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code, path).toBe('not_found');
    }
  });

  it('keeps API routes working', async () => {
    const response = await fetch(`${baseUrl}/api/ping`, html);

    expect(await response.json()).toEqual({ pong: true });
  });

  it('returns 404 for a missing hashed asset', async () => {
    const response = await fetch(`${baseUrl}/assets/index-old999.js`, html);

    expect(response.status).toBe(404);
  });

  it('returns 404 to a client that does not accept HTML', async () => {
    const response = await fetch(`${baseUrl}/sites/demo`, { headers: { Accept: 'application/json' } });

    expect(response.status).toBe(404);
  });

  it('ignores other methods', async () => {
    const response = await fetch(`${baseUrl}/index.html`, { method: 'POST', ...html });

    expect(response.status).toBe(404);
  });
});

describe('serveUi security', () => {
  it('sends the security headers', async () => {
    const response = await fetch(`${baseUrl}/`, html);
    const policy = response.headers.get('content-security-policy') ?? '';
    const host = new URL(baseUrl).host;

    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain(`connect-src 'self' ws://${host} wss://${host}`);
    expect(policy).toContain("img-src 'self' data:");
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('rejects paths that leave the folder', async () => {
    for (const path of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/..%5csecret.txt', '/../secret.txt', '/%E0%A4%A']) {
      const response = await rawGet(path);

      expect(response.body, path).not.toContain(SECRET);
      expect([400, 200], path).toContain(response.status);
      if (response.status === 200) expect(response.body, path).toBe(INDEX_HTML);
    }
  });

  it('returns 400 for an encoded parent segment', async () => {
    const response = await rawGet('/assets/..%2f..%2fsecret.txt');

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'invalid_path' } });
  });
});

describe('serveUi without a build', () => {
  beforeEach(() => unlinkSync(join(dist, 'index.html')));

  it('shows browsers a page with the build command', async () => {
    const response = await fetch(`${baseUrl}/`, html);
    const page = await response.text();

    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(page).toContain('pnpm -C ui build');
    expect(page).toContain(join(dist, 'index.html'));
  });

  it('returns the error body to other clients', async () => {
    const response = await fetch(`${baseUrl}/`, { headers: { Accept: 'application/json' } });
    const body = (await response.json()) as { error: { code: string; message: string } };

    expect(response.status).toBe(503);
    expect(body.error.code).toBe('ui_not_built');
    expect(body.error.message).toContain('pnpm -C ui build');
  });

  it('keeps API routes working', async () => {
    const response = await fetch(`${baseUrl}/api/ping`);

    expect(response.status).toBe(200);
  });
});
