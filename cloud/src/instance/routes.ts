import { readFileSync } from 'node:fs';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../api/env';

/** The hub's version, from cloud/package.json, read once at start. */
const HUB_VERSION = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))).version;

export const instanceSchema = z
  .object({
    /** Kind of server the web app talks to: `cloud` here, `edge` on an edge node. */
    mode: z.literal('cloud'),
    version: z.string().openapi({ example: '0.1.0' }),
    /** The URL the hub is reached at (PUBLIC_URL), which its links use. */
    publicUrl: z.string().openapi({ example: 'https://ems.example.com' }),
  })
  .openapi('Instance');

const instanceRoute = createRoute({
  method: 'get',
  path: '/api/instance',
  tags: ['instance'],
  summary: 'What kind of server this is, for the web app before login (no authentication)',
  responses: { 200: { description: 'The instance', content: { 'application/json': { schema: instanceSchema } } } },
});

export function registerInstanceRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(instanceRoute, (c) => c.json({ mode: 'cloud' as const, version: HUB_VERSION, publicUrl: deps.publicUrl }, 200));
}
