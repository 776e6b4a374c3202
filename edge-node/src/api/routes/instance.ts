import { createRoute, z } from '@hono/zod-openapi';
import { edgeSoftwareVersion } from '../../cloud/software-version';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import { createRouter, type EdgeRouter } from '../openapi-router';

/** Whether this edge runs a link to a cloud hub, and the hub's base URL. */
export interface CloudPairing {
  paired: boolean;
  url: string | null;
}

/** The pairing of an edge without a cloud link. */
export const notPaired: CloudPairing = { paired: false, url: null };

export const instanceSchema = z
  .object({
    mode: z.literal('edge').openapi({ description: 'The server the UI talks to: always `edge` here, while the cloud hub returns `cloud`' }),
    siteId: z.string(),
    siteName: z.string(),
    version: z.string().openapi({ description: 'Software version of the edge node', example: '0.1.0' }),
    cloud: z.object({
      paired: z.boolean().openapi({ description: 'Whether the edge runs its link to a cloud hub, so cloud users can log in here' }),
      url: z.string().nullable().openapi({ description: 'Base URL of the hub, null when not paired' }),
    }),
    setup: z
      .literal(true)
      .optional()
      .openapi({ description: 'Present while first-boot setup is not finished; `siteId` and `siteName` are then empty until a site is chosen' }),
  })
  .openapi('Instance');

const instanceRoute = createRoute({
  method: 'get',
  path: '/instance',
  tags: ['site'],
  summary: 'Which server this is, for the UI before login',
  description: 'Public: the login page reads it to offer local or cloud credentials and to show the site name.',
  responses: { 200: { description: 'This edge node', content: { 'application/json': { schema: instanceSchema } } } },
});

/** Route definitions of this file, for the OpenAPI document. */
export const instanceRouteDefinitions = [instanceRoute];

/**
 * `GET /instance`, for mounting under `/api` before the read guard. `cloudPairing` is called per
 * request, because the cloud link starts after the HTTP server.
 */
export function instanceRoutes(runtime: EdgeRuntime, cloudPairing: () => CloudPairing = () => notPaired): EdgeRouter {
  const app = createRouter();
  app.openapi(instanceRoute, (c) => {
    const { site } = runtime.config;
    return c.json({ mode: 'edge' as const, siteId: site.id, siteName: site.name, version: edgeSoftwareVersion(), cloud: cloudPairing() }, 200);
  });
  return app;
}
