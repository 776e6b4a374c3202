import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { edgeSoftwareVersion } from '../cloud/software-version';
import { errorResponses } from './http-error';
import { bearerSecurity, createRouter, mountRoute } from './openapi-router';
import { alarmRouteDefinitions } from './routes/alarms';
import { authRouteDefinitions } from './routes/auth';
import { controlRouteDefinitions } from './routes/control';
import { deviceRouteDefinitions } from './routes/devices';
import { energyRouteDefinitions } from './routes/energy';
import { healthRouteDefinitions } from './routes/health';
import { instanceRouteDefinitions } from './routes/instance';
import { meRouteDefinitions } from './routes/me';
import { metricsRoute } from './routes/metrics';
import { pointRouteDefinitions } from './routes/points';
import { setupRouteDefinitions } from './routes/setup-definitions';
import { siteSummaryRouteDefinitions } from './routes/site-summary';
import { syncRouteDefinitions } from './routes/sync';

/** The OpenAPI 3.1 document as `getOpenAPI31Document` builds it. */
export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

export const openApiRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  tags: ['docs'],
  summary: 'This OpenAPI 3.1 document; needs `dashboard.view`',
  security: bearerSecurity,
  responses: {
    200: { description: 'OpenAPI document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    ...errorResponses(401, 403),
  },
});

/** Every route under `/api`, with paths relative to it. */
const apiRouteDefinitions = [
  ...healthRouteDefinitions,
  ...authRouteDefinitions,
  ...meRouteDefinitions,
  ...alarmRouteDefinitions,
  ...controlRouteDefinitions,
  ...deviceRouteDefinitions,
  ...pointRouteDefinitions,
  ...syncRouteDefinitions,
  ...siteSummaryRouteDefinitions,
  ...energyRouteDefinitions,
  ...instanceRouteDefinitions,
  ...setupRouteDefinitions,
  openApiRoute,
];

let cachedDocument: OpenApiDocument | undefined;

/**
 * Builds the OpenAPI 3.1 document of the edge node's HTTP API from the route definitions alone, so it
 * needs no runtime, database or device: the UI's type generation calls it. The document is built once
 * per process and shared, so callers must not modify it. It lists `GET /api/sync/status` although only
 * a paired node serves it, and the auth routes although a node without authentication serves none.
 */
export function edgeOpenApiDocument(): OpenApiDocument {
  if (cachedDocument) return cachedDocument;
  const builder = new OpenAPIHono();
  const registry = builder.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  registry.registerComponent('securitySchemes', 'setupToken', { type: 'http', scheme: 'bearer', description: 'Token of POST /api/setup/unlock, for the setup steps' });
  for (const route of apiRouteDefinitions) registry.registerPath({ ...route, path: `/api${route.path}` });
  registry.registerPath(metricsRoute);
  cachedDocument = builder.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'SimTestLab EMS edge node API',
      version: edgeSoftwareVersion(),
      description: 'REST API of one site: devices, points, history, alarms, control and login. The live stream is the WebSocket at /ws.',
    },
  });
  return cachedDocument;
}

/** Serves `GET /api/openapi.json`. The app mounts it behind the `dashboard.view` guard. */
export function openApiRoutes() {
  const app = createRouter();
  mountRoute(app, openApiRoute, (c) => c.json(edgeOpenApiDocument()));
  return app;
}
