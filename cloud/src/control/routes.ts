import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { controlErrorStatus, isAllowed, type ControlResult, type ControlWriteBody, type UplinkControlCommand } from '@simtestlab/sync';
import type { Context } from 'hono';
import { edgeRefusal } from '../access/edge-identity';
import { requireSite, type SiteRef } from '../access/guards';
import { requestActor } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import type { EdgeRequestClient } from '../live/edge-request-client';
import { auditControlCommand } from './control-audit';
import { controlBodySchema, controlParamsSchema, controlResponseSchema } from './schemas';

const resultContent = { 'application/json': { schema: controlResponseSchema } };

/** Responses of both control routes: every status of `controlErrorStatus`, each with a ControlResult body. */
const controlResponses = {
  200: { description: 'The edge ran the command and read the value back', content: resultContent },
  403: { description: '`not_permitted`: the hub or the edge denied the user the right to control devices at the site', content: resultContent },
  409: { description: '`not_writable`, or `held_locally` (an on-site write holds the point)', content: resultContent },
  422: { description: '`wrong_type`, `out_of_limits` or `step_too_large`; `limit` names the limit crossed', content: resultContent },
  428: { description: '`confirmation_required`: send the returned `confirmationToken` with the same value to confirm', content: resultContent },
  429: { description: '`rate_limited`: the point was written too recently; `retryAt` says when the next write may be made', content: resultContent },
  502: { description: '`device_error` or `not_confirmed`: the device refused the write or did not read back the value', content: resultContent },
  503: { description: '`edge_offline`: no uplink from the edge node; the command was not sent and is not queued', content: resultContent },
  504: { description: '`edge_timeout`: no result in time; the outcome is unknown, so check the point', content: resultContent },
  ...errorResponses(400, 401),
  404: {
    description: 'No such site, or the caller may not see it (error body); or `unknown_point` from the edge (ControlResult body)',
    content: resultContent,
  },
};

const description =
  'The hub checks that the caller may control devices at the site (site managers and up; operators where the site allows operator ' +
  'control), then relays the command to the edge node over its uplink. The edge checks the right again with its own synced users, ' +
  'checks the limits, writes, reads back and answers with the result. A command is never queued: without an uplink the answer is ' +
  '503 `edge_offline`, and without an answer within 15 s it is 504 `edge_timeout`. Every command, refused ones included, is an audit entry.';

const controlRoute = createRoute({
  method: 'post',
  path: '/api/sites/{siteId}/points/{pointId}/control',
  tags: ['control'],
  summary: "Write a value to a point of the site's edge node, as a lease",
  description: `${description} A remote write holds for \`leaseS\` seconds (the point's default when absent); then the edge restores the point's safe value or releases it.`,
  security: bearerSecurity,
  request: { params: controlParamsSchema, body: { required: true, content: { 'application/json': { schema: controlBodySchema } } } },
  responses: controlResponses,
});

const releaseRoute = createRoute({
  method: 'post',
  path: '/api/sites/{siteId}/points/{pointId}/release',
  tags: ['control'],
  summary: "End the remote command of a point of the site's edge node",
  description: `${description} The edge applies the point's release: it writes the safe value or, for BACnet, relinquishes its priority.`,
  security: bearerSecurity,
  request: { params: controlParamsSchema },
  responses: controlResponses,
});

/** Registers the control routes, which relay commands to edge nodes through `edgeRequests`. */
export function registerControlRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps, edgeRequests: EdgeRequestClient): void {
  /** Checks the right, relays the command, audits it and responds with the result and its status. */
  const run = async (c: Context<AppEnv>, siteId: string, point: string, write: ControlWriteBody | null) => {
    const { caller } = c.var;
    const { site, edgeProblem } = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const found: SiteRef = await requireSite(tx, caller, siteId, 'dashboard.view');
      return { site: found, edgeProblem: await edgeRefusal(tx, found, caller.userId, 'control commands') };
    });
    const command: UplinkControlCommand = {
      type: 'control-command',
      requestId: randomUUID(),
      point,
      command: write === null ? { kind: 'release' } : { kind: 'write', ...write },
      user: { id: caller.userId, email: caller.permissions.email, name: caller.permissions.name },
    };
    const log = c.var.logger.child({ siteId, point, requestId: command.requestId });

    let result: ControlResult;
    if (!isAllowed({ role: site.role, developer: caller.permissions.developer }, 'device.control', { operatorControl: site.operatorControl })) {
      const operatorRule = site.operatorControl ? 'operators may too at this site' : 'operators may only where the site allows operator control';
      result = {
        ok: false,
        point,
        code: 'not_permitted',
        message: `your role at site ${siteId} (${site.role}) does not allow controlling devices: site managers and above may, and ${operatorRule}`,
      };
    } else if (edgeProblem !== null) {
      result = { ok: false, point, code: 'not_permitted', message: edgeProblem };
    } else {
      result = await edgeRequests.sendControl(site.id, command);
    }

    log.info({ kind: command.command.kind, ok: result.ok, code: result.ok ? 'ok' : result.code }, 'control command relayed');
    await auditControlCommand(deps.sql, {
      actor: requestActor(c),
      scope: caller.scope,
      organizationId: site.organizationId,
      siteId: site.id,
      point,
      requestId: command.requestId,
      write,
      result,
    });
    return c.json(result, result.ok ? 200 : controlErrorStatus[result.code]);
  };

  app.openapi(controlRoute, async (c) => {
    const { siteId, pointId } = c.req.valid('param');
    return run(c, siteId, pointId, c.req.valid('json'));
  });

  app.openapi(releaseRoute, async (c) => {
    const { siteId, pointId } = c.req.valid('param');
    return run(c, siteId, pointId, null);
  });
}
