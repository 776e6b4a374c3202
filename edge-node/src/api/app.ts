import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { EdgeAuth } from '../auth/edge-auth';
import type { Logger } from '../logger';
import type { EdgeRuntime } from '../runtime/edge-runtime';
import { requireAction, requireActionUnlessLoopback, type AuthVariables } from './auth-guard';
import { errorResponse } from './http-error';
import { alarmRoutes } from './routes/alarms';
import { renderMetrics, type MetricSource } from './metrics';
import { authRoutes } from './routes/auth';
import { controlRoutes } from './routes/control';
import { deviceRoutes } from './routes/devices';
import { healthRoutes } from './routes/health';
import { pointRoutes } from './routes/points';
import { syncRoutes } from './routes/sync';
import type { SyncMonitor } from '../upload/sync-monitor';

/** Largest request body accepted by any route. */
const MAX_BODY_BYTES = 1_000_000;

export interface AppOptions {
  /** Login and token checks; null serves every route without authentication, which `startHttpServer` allows on loopback only. */
  auth: EdgeAuth | null;
  metricSources?: readonly MetricSource[];
  /** Sync status and disk budget; adds `GET /api/sync/status`, their sections of `/api/health` and their metrics. */
  sync?: SyncMonitor;
}

/**
 * Builds the edge node's HTTP API. Paths are documented in docs/api.md. `/api/health` and
 * `/api/auth/login` are public; reads need `dashboard.view`, and other methods `site.manage` until
 * each write route names its own action.
 */
export function createApp(runtime: EdgeRuntime, logger: Logger, options: AppOptions) {
  const app = new Hono<{ Variables: AuthVariables }>();
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
  app.route('/api', healthRoutes(runtime, sync));
  if (auth) {
    app.route('/api', authRoutes(auth));
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

  app.route('/api', deviceRoutes(runtime));
  app.route('/api', pointRoutes(runtime));
  if (sync) app.route('/api', syncRoutes(sync));
  app.get('/metrics', (c) => c.text(renderMetrics(runtime, metricSources), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }));

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'request failed');
    return errorResponse(c, 500, 'internal', 'internal error; see the edge node log');
  });
  return app;
}
