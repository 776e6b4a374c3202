import type { Context } from 'hono';
import type { z } from 'zod';
import { lanScanRequestSchema, type ScanJob } from '../../setup/scan';
import { SetupError } from '../../setup/setup-errors';
import type { SetupService } from '../../setup/setup-service';
import type { SetupStatus } from '../../setup/setup-status';
import { errorResponse } from '../http-error';
import { createRouter, mountRoute, type EdgeRouter } from '../openapi-router';
import {
  setupAdminRoute,
  setupDevicesRoute,
  setupFinishRoute,
  setupPairRoute,
  setupScanJobRoute,
  setupScanRoute,
  setupStandaloneRoute,
  setupStatusRoute,
  setupTemplatesRoute,
  setupUnlockRoute,
} from './setup-definitions';
import {
  setupAdminRequestSchema,
  setupDevicesRequestSchema,
  setupPairRequestSchema,
  setupStandaloneRequestSchema,
  setupUnlockRequestSchema,
} from './setup-schemas';

/** Parses the JSON body with `schema`, or throws a 400 SetupError naming the first bad field. */
async function parseBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (error) {
    throw new SetupError(400, 'invalid_body', `the body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'body';
  throw new SetupError(400, 'invalid_body', `${field}: ${issue.message}`, { parameter: field });
}

/** Runs a step and turns a SetupError into its error response, with Retry-After on a 429. */
async function respond(c: Context, step: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    if (error.retryAfterS !== undefined) c.header('Retry-After', String(error.retryAfterS));
    return errorResponse(c, error.status, error.code, error.message, error.parameter);
  }
}

function scanJobBody(job: ScanJob) {
  return {
    scanId: job.id,
    cidr: job.cidr,
    state: job.state,
    progress: { done: job.progress.done, total: job.progress.total },
    ...(job.error === undefined ? {} : { error: job.error }),
    found: job.found,
  };
}

/**
 * Rejects a setup POST that a web page on another origin could send. That is one with a body not
 * declared as JSON, because a form or `text/plain` body needs no CORS preflight, or one whose Origin
 * header names another host than the request's Host. Without this, any page the installer opens could post wrong codes
 * and lock the setup page.
 */
function rejectCrossSitePosts(c: Context): Response | undefined {
  if (c.req.method !== 'POST') return undefined;
  const origin = c.req.header('origin');
  if (origin !== undefined && originHost(origin) !== c.req.header('host')) {
    return errorResponse(c, 403, 'cross_origin', `requests from the origin "${origin}" are not allowed; open the setup page on this node itself`);
  }
  // A POST without a body (finish) has nothing to declare.
  const hasBody = c.req.header('transfer-encoding') !== undefined || Number(c.req.header('content-length') ?? '0') > 0;
  const contentType = c.req.header('content-type') ?? '';
  if (hasBody && !/^application\/json\s*(;|$)/i.test(contentType)) {
    return errorResponse(c, 415, 'unsupported_media_type', `send the body as JSON with "Content-Type: application/json", not "${contentType || 'no content type'}"`);
  }
  return undefined;
}

function originHost(origin: string): string | null {
  return URL.canParse(origin) ? new URL(origin).host : null;
}

/** Serves the setup steps under `/api/setup` in setup mode. Every step but status and unlock needs a setup token. */
export function setupRoutes(service: SetupService): EdgeRouter {
  const app = createRouter();
  app.use('*', async (c, next) => rejectCrossSitePosts(c) ?? (await next()));
  mountRoute(app, setupStatusRoute, (c) => c.json(service.status()));

  mountRoute(app, setupUnlockRoute, (c) =>
    respond(c, async () => {
      const { code } = await parseBody(c, setupUnlockRequestSchema);
      return c.json(service.unlock(code));
    }),
  );
  mountRoute(app, setupAdminRoute, (c) =>
    respond(c, async () => {
      const session = service.authorize(c.req.header('authorization'));
      return c.json(await service.createAdmin(session, await parseBody(c, setupAdminRequestSchema)));
    }),
  );

  mountRoute(app, setupPairRoute, (c) =>
    respond(c, async () => {
      const session = service.authorize(c.req.header('authorization'));
      const paired = await service.pair(session, await parseBody(c, setupPairRequestSchema));
      return c.json({ siteId: paired.siteId, siteName: paired.siteName, timeZone: paired.timeZone, organizationId: paired.organizationId, edgeNodeId: paired.edgeNodeId });
    }),
  );
  mountRoute(app, setupStandaloneRoute, (c) =>
    respond(c, async () => {
      const session = service.authorize(c.req.header('authorization'));
      const site = await service.standalone(session, await parseBody(c, setupStandaloneRequestSchema));
      return c.json({ siteId: site.siteId, siteName: site.siteName, timeZone: site.timeZone });
    }),
  );

  mountRoute(app, setupScanRoute, (c) =>
    respond(c, async () => {
      const session = service.authorize(c.req.header('authorization'));
      const job = service.startScan(session, await parseBody(c, lanScanRequestSchema));
      return c.json({ scanId: job.id }, 202);
    }),
  );
  mountRoute(app, setupScanJobRoute, (c) =>
    respond(c, () => {
      service.authorize(c.req.header('authorization'));
      return c.json(scanJobBody(service.scan(c.req.param('scanId')!)));
    }),
  );

  mountRoute(app, setupTemplatesRoute, (c) =>
    respond(c, () => {
      service.authorize(c.req.header('authorization'));
      return c.json({ templates: service.templates() });
    }),
  );
  mountRoute(app, setupDevicesRoute, (c) =>
    respond(c, async () => {
      const session = service.authorize(c.req.header('authorization'));
      const { devices } = await parseBody(c, setupDevicesRequestSchema);
      return c.json(await service.setDevices(session, devices));
    }),
  );

  mountRoute(app, setupFinishRoute, (c) =>
    respond(c, async () => {
      const session = service.authorize(c.req.header('authorization'));
      return c.json(await service.finish(session));
    }),
  );
  return app;
}

/** `GET /setup/status` of a running node, for mounting under `/api` before the guards: setup is complete. */
export function completedSetupRoutes(status: () => SetupStatus): EdgeRouter {
  const app = createRouter();
  mountRoute(app, setupStatusRoute, (c) => c.json(status()));
  return app;
}
