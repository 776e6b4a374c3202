import { createRoute, z } from '@hono/zod-openapi';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import { errorResponses } from '../http-error';
import { renderMetrics, type MetricSource } from '../metrics';
import { bearerSecurity, createRouter, mountRoute } from '../openapi-router';

/** `GET /metrics`, outside `/api`: its path is the Prometheus default. */
export const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['metrics'],
  summary: 'Prometheus metrics; loopback clients need no token',
  security: bearerSecurity,
  responses: {
    200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: z.string() } } },
    ...errorResponses(401, 403),
  },
});

/** Serves `GET /metrics` in the Prometheus text format. */
export function metricsRoutes(runtime: EdgeRuntime, sources: readonly MetricSource[]) {
  const app = createRouter();
  mountRoute(app, metricsRoute, (c) => c.text(renderMetrics(runtime, sources), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }));
  return app;
}
