import { PROTOCOL_HEADER, PROTOCOL_RANGE_HEADER } from '@simtestlab/sync';
import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/api/env';
import { RELEASE_ROUTES_PREFIX, requireEdgeProtocol } from '../../src/edge-protocol/edge-protocol';

/** Builds a hub that serves edge protocols 2 and 3 only, with one release route and one other edge route. */
function newerHub(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('logger', pino({ level: 'silent' }));
    await next();
  });
  app.use('/api/edge/*', requireEdgeProtocol({ range: { min: 2, max: 3 }, exemptPrefixes: [RELEASE_ROUTES_PREFIX] }));
  app.get('/api/edge/releases/:channel', (c) => c.json({ channel: c.req.param('channel') }));
  app.get('/api/edge/me', (c) => c.json({ ok: true }));
  return app;
}

describe('protocol check exemption for releases', () => {
  it.each([
    ['protocol 1', '1'],
    ['no protocol header', null],
    ['an invalid protocol header', 'one'],
  ])('serves releases to an edge with %s', async (_case, header) => {
    const headers: Record<string, string> = header === null ? {} : { [PROTOCOL_HEADER]: header };
    const response = await newerHub().request('/api/edge/releases/stable', { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get(PROTOCOL_HEADER)).toBe('1');
    expect(response.headers.get(PROTOCOL_RANGE_HEADER)).toBe('2..3');
  });

  it('rejects that edge on other edge routes', async () => {
    const response = await newerHub().request('/api/edge/me', { headers: { [PROTOCOL_HEADER]: '1' } });
    expect(response.status).toBe(426);
  });
});
