import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../logger';
import type { EdgeRuntime } from '../runtime/edge-runtime';
import { errorResponse } from './http-error';
import { renderMetrics, type MetricSource } from './metrics';
import { deviceRoutes } from './routes/devices';
import { healthRoutes } from './routes/health';
import { pointRoutes } from './routes/points';

/** Largest request body accepted by any route. */
const MAX_BODY_BYTES = 1_000_000;

/** Builds the edge node's HTTP API. Paths are documented in docs/api.md. */
export function createApp(runtime: EdgeRuntime, logger: Logger, metricSources: readonly MetricSource[] = []) {
  const app = new Hono();

  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, 413, 'body_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`),
    }),
  );

  app.route('/api', deviceRoutes(runtime));
  app.route('/api', pointRoutes(runtime));
  app.route('/api', healthRoutes(runtime));
  app.get('/metrics', (c) => c.text(renderMetrics(runtime, metricSources), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }));

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'request failed');
    return errorResponse(c, 500, 'internal', 'internal error; see the edge node log');
  });
  return app;
}
