import { Hono, type Context } from 'hono';
import { controlErrorStatus, controlWriteBodySchema, type ControlResult } from '@simtestlab/sync';
import { actorFromPrincipal, type SiteActor } from '../../access/site-actor';
import type { ControlCommand } from '../../control/control-service';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import type { AuthVariables } from '../auth-guard';
import { errorResponse } from '../http-error';

type ControlContext = Context<{ Variables: AuthVariables }>;

/** The caller; with authentication off (loopback only), an anonymous local caller with every right, as on the other routes. */
function requestActor(runtime: EdgeRuntime, c: ControlContext): SiteActor {
  const principal = c.get('principal') as AuthVariables['principal'] | undefined;
  if (principal) return actorFromPrincipal(runtime.db, principal);
  return { id: 'loopback', name: 'loopback client (authentication off)', role: 'platform_admin', developer: false, origin: 'edge' };
}

function resultResponse(c: ControlContext, result: ControlResult) {
  return c.json(result, result.ok ? 200 : controlErrorStatus[result.code]);
}

async function runCommand(runtime: EdgeRuntime, c: ControlContext, command: ControlCommand) {
  const result = await runtime.control.execute({ point: c.req.param('point')!, command, actor: requestActor(runtime, c), source: 'local' });
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
      return errorResponse(c, 400, 'invalid_body', `${parameter}: ${issue.message}`, parameter);
    }
    return await runCommand(runtime, c, { kind: 'write', ...body.data });
  });

  app.post('/points/:point/release', (c) => runCommand(runtime, c, { kind: 'release' }));

  app.get('/control/leases', (c) => c.json({ leases: runtime.control.activeLeases() }));

  return app;
}
