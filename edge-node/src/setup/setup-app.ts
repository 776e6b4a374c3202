import { serveUi } from '@simtestlab/ui/server';
import { bodyLimit } from 'hono/body-limit';
import { errorResponse } from '../api/http-error';
import { createRouter, mountRoute } from '../api/openapi-router';
import { healthRoute } from '../api/routes/health';
import { setupRoutes } from '../api/routes/setup';
import { edgeSoftwareVersion } from '../cloud/software-version';
import type { Logger } from '../logger';
import { uiDistDir } from '../runtime/install-paths';
import type { SetupService } from './setup-service';

/** Message of the 503 that every other `/api` route returns in setup mode. */
export const SETUP_NOT_FINISHED_MESSAGE = 'setup is not finished: open /setup on this node';

/** Largest request body in setup mode; a device list of 500 picks fits easily. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * Builds the HTTP app of setup mode: `/api/health` with mode "setup", `/api/instance` with
 * `setup: true`, the setup steps under `/api/setup`, a 503 for every other `/api` path, and the web
 * app, whose `/setup` page runs the wizard. Once setup is finished every response closes its
 * connection, so browsers reconnect to the edge node that replaces this server on the same port.
 */
export function createSetupApp(service: SetupService, logger: Logger) {
  const app = createRouter();
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, 413, 'body_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`),
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    if (service.complete) c.header('Connection', 'close');
  });

  const api = createRouter();
  mountRoute(api, healthRoute, (c) => c.json({ status: 'ok' as const, mode: 'setup' as const, version: edgeSoftwareVersion() }));
  api.get('/instance', (c) => {
    const site = service.status().steps.site;
    return c.json({
      mode: 'edge' as const,
      siteId: site?.siteId ?? '',
      siteName: site?.siteName ?? '',
      version: edgeSoftwareVersion(),
      cloud: { paired: site?.mode === 'paired', url: site?.cloudUrl ?? null },
      setup: true as const,
    });
  });
  api.route('/', setupRoutes(service));
  api.all('*', (c) =>
    service.complete
      ? errorResponse(c, 503, 'starting', 'setup is finished and the edge node is starting on this port; retry in a few seconds')
      : errorResponse(c, 503, 'setup_not_finished', SETUP_NOT_FINISHED_MESSAGE),
  );
  app.route('/api', api);
  app.use('*', serveUi({ root: uiDistDir }));

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'setup request failed');
    return errorResponse(c, 500, 'internal', 'internal error; see the edge node log');
  });
  return app;
}
