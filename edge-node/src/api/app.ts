import { serveUi } from '@simtestlab/ui/server';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { EdgeAuth } from '../auth/edge-auth';
import type { Logger } from '../logger';
import type { EdgeRuntime } from '../runtime/edge-runtime';
import { uiDistDir } from '../runtime/install-paths';
import { requireAction, requireActionUnlessLoopback } from './auth-guard';
import { errorResponse } from './http-error';
import type { MetricSource } from './metrics';
import { openApiRoutes } from './openapi';
import { createRouter } from './openapi-router';
import { alarmRoutes } from './routes/alarms';
import { authRoutes } from './routes/auth';
import { controlRoutes } from './routes/control';
import { deviceRoutes } from './routes/devices';
import { energyRoutes } from './routes/energy';
import { healthRoutes } from './routes/health';
import { instanceRoutes, notPaired, type CloudPairing } from './routes/instance';
import { meRoutes } from './routes/me';
import { metricsRoutes } from './routes/metrics';
import { pointRoutes } from './routes/points';
import { completedSetupRoutes } from './routes/setup';
import { siteSummaryRoutes } from './routes/site-summary';
import { syncRoutes } from './routes/sync';
import { completedSetupStatus } from '../setup/setup-status';
import type { SyncMonitor } from '../upload/sync-monitor';

/** Largest request body accepted by any route. */
const MAX_BODY_BYTES = 1_000_000;

export interface AppOptions {
  /** Login and token checks; null serves every route without authentication, which `startHttpServer` allows on loopback only. */
  auth: EdgeAuth | null;
  metricSources?: readonly MetricSource[];
  /** Sync status and disk budget; adds `GET /api/sync/status`, their sections of `/api/health` and their metrics. */
  sync?: SyncMonitor;
  /** Whether the edge runs its cloud link, asked per request; not paired when omitted. */
  cloudPairing?: () => CloudPairing;
}

/**
 * Builds the edge node's HTTP API. Paths are documented in docs/api.md and in the OpenAPI document
 * (`edgeOpenApiDocument`). `/api/health`, `/api/instance`, `/api/setup/status`, `/api/auth/login` and `/api/auth/refresh` need no guard;
 * reads need `dashboard.view`, and other methods `site.manage` until each write route names its own action.
 */
export function createApp(runtime: EdgeRuntime, logger: Logger, options: AppOptions) {
  const app = createRouter();
  const { auth, sync } = options;
  const metricSources = [...(options.metricSources ?? []), ...(sync ? [sync.metrics] : [])];

  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, 413, 'body_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`),
    }),
  );

  // Public routes come first, because a route that returns a response ends the chain before the guard below.
  // The refresh route checks the token it exchanges itself.
  app.route('/api', healthRoutes(runtime, sync));
  app.route('/api', instanceRoutes(runtime, options.cloudPairing));
  app.route('/api', completedSetupRoutes(() => completedSetupStatus(runtime.config, options.cloudPairing?.() ?? notPaired, runtime.db)));
  if (auth) {
    app.route('/api', authRoutes(auth));
    // The caller's own account needs only dashboard.view, so a viewer may change their password too.
    app.use('/api/me', requireAction(auth, 'dashboard.view'));
    app.use('/api/me/*', requireAction(auth, 'dashboard.view'));
    app.route('/api', meRoutes(runtime, auth));
    // Alarm routes come before the guard that requires site.manage for writes, because an operator may
    // acknowledge: they need dashboard.view here and the alarm service checks each action's right.
    app.use('/api/alarms', requireAction(auth, 'dashboard.view'));
    app.use('/api/alarms/*', requireAction(auth, 'dashboard.view'));
  }
  app.route('/api', alarmRoutes(runtime));
  if (auth) {
    // Control routes come before the site.manage guard too: an operator may control where the site
    // allows it, so they only authenticate here and the control service checks the right.
    app.use('/api/points/:point/control', requireAction(auth, 'dashboard.view'));
    app.use('/api/points/:point/release', requireAction(auth, 'dashboard.view'));
    app.use('/api/control/*', requireAction(auth, 'dashboard.view'));
  }
  app.route('/api', controlRoutes(runtime));
  if (auth) {
    const read = requireAction(auth, 'dashboard.view');
    const write = requireAction(auth, 'site.manage');
    app.use('/api/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? read(c, next) : write(c, next)));
    app.use('/metrics', requireActionUnlessLoopback(auth, 'dashboard.view'));
  }

  app.route('/api', openApiRoutes());
  app.route('/api', deviceRoutes(runtime));
  app.route('/api', pointRoutes(runtime));
  app.route('/api', siteSummaryRoutes(runtime));
  app.route('/api', energyRoutes(runtime));
  if (sync) app.route('/api', syncRoutes(sync));
  app.route('/', metricsRoutes(runtime, metricSources));
  // The web app last: any other GET that requests a page gets the app, which routes in the browser.
  app.use('*', serveUi({ root: uiDistDir }));

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    // The validators of `openapi` routes raise these for a body that is not JSON or not sent as JSON.
    if (error instanceof HTTPException && error.status === 415) {
      return errorResponse(c, 415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
    }
    if (error instanceof HTTPException && error.status === 400) {
      return errorResponse(c, 400, 'invalid_body', `the body is not valid JSON: ${error.message}`);
    }
    logger.error({ err: error, path: c.req.path }, 'request failed');
    return errorResponse(c, 500, 'internal', 'internal error; see the edge node log');
  });
  return app;
}
