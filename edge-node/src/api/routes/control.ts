import { Hono, type Context } from 'hono';
import { controlErrorStatus, controlWriteBodySchema, type ControlResult } from '@simtestlab/sync';
import type { ControlCommand } from '../../control/control-service';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import { requestActor, type AuthVariables } from '../auth-guard';
import { errorResponse } from '../http-error';

type ControlContext = Context<{ Variables: AuthVariables }>;

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
  const app = new Hono<{ Variables: AuthVariables }>();

  app.post('/points/:point/control', async (c) => {
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

  app.post('/points/:point/release', (c) => runCommand(runtime, c, { kind: 'release' }));

  app.get('/control/leases', (c) => c.json({ leases: runtime.control.activeLeases(), releasesPending: runtime.control.releasesPending() }));

  return app;
}
