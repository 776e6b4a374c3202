import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { controlErrorStatus, controlLeaseSchema, controlResultSchema, controlWriteBodySchema, type ControlResult } from '@simtestlab/sync';
import type { ControlCommand } from '../../control/control-service';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import { requestActor } from '../auth-guard';
import { errorBodySchema, errorResponse, errorResponses } from '../http-error';
import { bearerSecurity, createRouter, mountRoute, type ApiEnv } from '../openapi-router';

type ControlContext = Context<ApiEnv>;

const pointParams = z.object({ point: z.string().openapi({ param: { name: 'point', in: 'path' }, example: 'battery.setpointW' }) });

const failedCommand = (description: string) => ({ description, content: { 'application/json': { schema: controlResultSchema } } });

/** Responses of a write or release: the result body for the outcome of the command, the error body for a bad request. */
const commandResponses = {
  200: { description: 'The command was applied and confirmed', content: { 'application/json': { schema: controlResultSchema } } },
  400: { description: 'The body is not valid', content: { 'application/json': { schema: errorBodySchema } } },
  ...errorResponses(401),
  403: failedCommand('`not_permitted`: the caller may not control devices at this site'),
  404: failedCommand('`unknown_point`: no such point'),
  409: failedCommand('`not_writable` or `held_locally`'),
  422: failedCommand('`wrong_type`, `out_of_limits` or `step_too_large`'),
  428: failedCommand('`confirmation_required`: repeat the request with the `confirmationToken` of this response'),
  429: failedCommand('`rate_limited`: too many commands for this point'),
  502: failedCommand('`device_error` or `not_confirmed`: the device refused the write or the read-back did not match'),
} as const;

export const controlWriteRoute = createRoute({
  method: 'post',
  path: '/points/{point}/control',
  tags: ['control'],
  summary: 'Write a value to a writable point as an on-site command, under a lease',
  security: bearerSecurity,
  request: { params: pointParams, body: { required: true, content: { 'application/json': { schema: controlWriteBodySchema } } } },
  responses: commandResponses,
});

export const controlReleaseRoute = createRoute({
  method: 'post',
  path: '/points/{point}/release',
  tags: ['control'],
  summary: 'Release the lease on a point and write its safe value',
  security: bearerSecurity,
  request: { params: pointParams },
  responses: commandResponses,
});

export const controlLeasesRoute = createRoute({
  method: 'get',
  path: '/control/leases',
  tags: ['control'],
  summary: 'Leases in force, and expired leases whose release is still being retried',
  security: bearerSecurity,
  responses: {
    200: {
      description: 'Leases',
      content: { 'application/json': { schema: z.object({ leases: z.array(controlLeaseSchema), releasesPending: z.array(controlLeaseSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

/** Route definitions of this module, for the OpenAPI document. */
export const controlRouteDefinitions = [controlWriteRoute, controlReleaseRoute, controlLeasesRoute];

function resultResponse(c: ControlContext, result: ControlResult) {
  return c.json(result, result.ok ? 200 : controlErrorStatus[result.code]);
}

/** Maximum number of characters of a rejected value quoted in an error message. */
const MAX_QUOTED_VALUE_CHARS = 60;

/**
 * Describes an invalid `value`, because Zod's message for the union is only "Invalid input". JSON has
 * no NaN, and a number too large for a double parses as Infinity.
 */
function invalidValueMessage(json: unknown): string {
  const value = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).value : undefined;
  const quoted = typeof value === 'number' ? String(value) : JSON.stringify(value);
  const got = value === undefined ? 'it is missing' : `got ${quoted.length > MAX_QUOTED_VALUE_CHARS ? `${quoted.slice(0, MAX_QUOTED_VALUE_CHARS)}...` : quoted}`;
  return `value: send a finite number, true or false, or a string of at most 200 characters; ${got}`;
}

async function runCommand(runtime: EdgeRuntime, c: ControlContext, command: ControlCommand) {
  const result = await runtime.control.execute({ point: c.req.param('point')!, command, actor: requestActor(runtime.db, c), source: 'local' });
  return resultResponse(c, result);
}

/**
 * Device control on the edge's own API: writes and releases as on-site commands, and the leases in
 * force. The guard only authenticates (`dashboard.view`); the control service checks the right to
 * control devices under the site policy, the same check a command relayed by the hub gets.
 */
export function controlRoutes(runtime: EdgeRuntime) {
  const app = createRouter();

  mountRoute(app, controlWriteRoute, async (c) => {
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return errorResponse(c, 400, 'invalid_body', 'the body is not JSON: send {"value": ..., "leaseS": ..., "confirmationToken": ...}');
    }
    const body = controlWriteBodySchema.safeParse(json);
    if (!body.success) {
      const issue = body.error.issues[0]!;
      const parameter = issue.path.map(String).join('.') || 'body';
      const message = parameter === 'value' ? invalidValueMessage(json) : `${parameter}: ${issue.message}`;
      return errorResponse(c, 400, 'invalid_body', message, parameter);
    }
    return await runCommand(runtime, c, { kind: 'write', ...body.data });
  });

  mountRoute(app, controlReleaseRoute, (c) => runCommand(runtime, c, { kind: 'release' }));

  mountRoute(app, controlLeasesRoute, (c) => c.json({ leases: runtime.control.activeLeases(), releasesPending: runtime.control.releasesPending() }));

  return app;
}
