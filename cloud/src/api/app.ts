import { createRoute, z } from '@hono/zod-openapi';
import { UPLOAD_PATH } from '@simtestlab/sync';
import { serveUi } from '@simtestlab/ui/server';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { registerAlarmApi, type AlarmSettings } from '../alarms/routes';
import { registerAuditRoutes } from '../audit/routes';
import { registerForgotPasswordRoutes } from '../auth/forgot-password-routes';
import { registerAuthRoutes } from '../auth/routes';
import { registerControlRoutes } from '../control/routes';
import { registerDeviceRoutes } from '../devices/routes';
import { registerDocsRoutes } from '../docs/routes';
import { registerEdgeNodeRoutes } from '../edge-nodes/routes';
import { registerEdgePairingRoutes } from '../edge-pairing/routes';
import { registerEnergyRoutes } from '../energy/routes';
import { registerEnergySettingsRoutes } from '../energy-settings/routes';
import { RELEASE_ROUTES_PREFIX, requireEdgeProtocol } from '../edge-protocol/edge-protocol';
import { registerInstanceRoutes } from '../instance/routes';
import type { UplinkRequestDeps } from '../live/edge-request-client';
import type { WebhookRouteDeps } from '../notifications/webhook-access';
import { registerWebhookDeliveryRoutes } from '../notifications/webhook-delivery-routes';
import { registerWebhookRoutes } from '../notifications/webhook-routes';
import { registerOrganizationRoutes } from '../organizations/routes';
import { registerProfileRoutes } from '../profile/routes';
import { registerReleaseRoutes, type ReleaseSettings } from '../releases/routes';
import { registerSiteAccessRoutes } from '../site-access/routes';
import { registerSiteNodeRoutes } from '../site-nodes/routes';
import { registerShapeRoutes } from '../shapes/routes';
import { registerSiteSummaryRoutes } from '../site-summary/routes';
import { registerSiteRoutes } from '../sites/routes';
import { registerSyncStatusRoutes } from '../sync-status/routes';
import { registerTelemetryRoutes } from '../telemetry/routes';
import { databaseUnavailable, isDatabaseUnavailable } from '../uploads/database-unavailable';
import { registerUploadRoutes, type UploadSettings } from '../uploads/routes';
import { registerUserRoutes } from '../users/routes';
import type { AppDeps } from './env';
import { errorBody, HttpError } from './http-error';
import { authenticate } from './middleware/authenticate';
import { nulCharacterResponse, rejectNulInUrl } from './middleware/reject-nul';
import { requestContext } from './middleware/request-context';
import { createRouter } from './openapi';
import { registerReadinessRoute, type ReadinessSettings } from './readiness';

/** Largest request body any route accepts; the largest real body is a device with a few hundred points. */
export const MAX_BODY_BYTES = 512 * 1024;

/** Paths that need no access token. */
const PUBLIC_PATHS = new Set([
  '/api/auth/login',
  '/api/auth/refresh',
  '/api/auth/logout',
  '/api/auth/set-password',
  '/api/auth/forgot-password',
  '/api/instance',
  '/.well-known/jwks.json',
  '/healthz',
  '/readyz',
]);

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Liveness: the process serves HTTP (Postgres and Redis are not queried)',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
});

/** Builds the cloud hub's HTTP API. */
export function createApp(deps: AppDeps & UploadSettings & UplinkRequestDeps & Pick<WebhookRouteDeps, 'webhooks'> & AlarmSettings & ReleaseSettings & ReadinessSettings) {
  const app = createRouter();

  app.use('*', requestContext({ trustProxy: deps.trustProxy, logger: deps.logger }));
  app.use('*', secureHeaders());
  app.use(
    '/api/*',
    cors({
      origin: (origin) => (deps.corsOrigins.includes(origin) ? origin : null),
      credentials: true,
      allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposeHeaders: ['X-Request-Id', 'Retry-After', 'X-Export-Truncated', 'Content-Disposition'],
      maxAge: 600,
    }),
  );
  app.use('*', rejectNulInUrl());
  // Pairing, shapes and uploads check the edge's protocol version first. Release routes stay open to
  // every version, so an edge of an old protocol can still download the release that speaks the new one.
  app.use('/api/edge/*', requireEdgeProtocol({ exemptPrefixes: [RELEASE_ROUTES_PREFIX] }));
  const globalBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new HttpError(413, 'body_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    },
  });
  // Upload batches are larger; their route applies its own limit.
  app.use('*', (c, next) => (c.req.path === UPLOAD_PATH ? next() : globalBodyLimit(c, next)));
  const docsArePublic = deps.apiDocsAccess === 'public';
  app.use(
    '*',
    authenticate(deps, (path) => PUBLIC_PATHS.has(path) || path.startsWith('/api/edge/') || path.startsWith('/api/docs') || (docsArePublic && path === '/api/openapi.json') || !path.startsWith('/api/')),
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));
  registerReadinessRoute(app, deps);
  registerInstanceRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerForgotPasswordRoutes(app, deps);
  registerProfileRoutes(app, deps);
  registerOrganizationRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerSiteRoutes(app, deps);
  registerSiteSummaryRoutes(app, deps);
  registerEnergySettingsRoutes(app, deps);
  registerSiteNodeRoutes(app, deps);
  registerSiteAccessRoutes(app, deps);
  registerDeviceRoutes(app, deps);
  registerEdgeNodeRoutes(app, deps);
  registerEdgePairingRoutes(app, deps);
  registerReleaseRoutes(app, deps);
  registerShapeRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerUploadRoutes(app, deps);
  registerTelemetryRoutes(app, deps);
  registerEnergyRoutes(app, deps);
  registerSyncStatusRoutes(app, deps);
  registerAlarmApi(app, deps);
  registerWebhookRoutes(app, deps);
  registerWebhookDeliveryRoutes(app, deps);
  if (deps.edgeRequests) registerControlRoutes(app, deps, deps.edgeRequests);
  registerDocsRoutes(app, deps);
  // The web app last: any other GET that requests a page gets the app, which routes in the browser.
  app.use('*', serveUi());

  app.notFound((c) => c.json(errorBody(new HttpError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)), 404));
  app.onError((error, c) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.details.headers ?? {})) c.header(name, value);
      return c.json(errorBody(error), error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own validators raise these, for a body that is not valid JSON for example.
      return c.json(errorBody(new HttpError(error.status, 'invalid_request', error.message)), error.status);
    }
    const nulError = nulCharacterResponse(error);
    if (nulError) return c.json(errorBody(nulError), nulError.status);
    const logger = c.var.logger ?? deps.logger;
    if (isDatabaseUnavailable(error)) {
      logger.error({ err: error, path: c.req.path }, 'request failed because the database is unreachable; responding 503 so the client retries');
      const unavailable = databaseUnavailable();
      for (const [name, value] of Object.entries(unavailable.details.headers ?? {})) c.header(name, value);
      return c.json(errorBody(unavailable), unavailable.status);
    }
    logger.error({ err: error, path: c.req.path }, 'request failed');
    return c.json(errorBody(new HttpError(500, 'internal', `internal error; see the cloud log for request ${c.var.requestId ?? 'unknown'}`)), 500);
  });
  return app;
}

export type CloudApp = ReturnType<typeof createApp>;
