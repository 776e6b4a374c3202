import { controlResultSchema, type ControlResult } from '@simtestlab/sync';
import { measure, type Measurement } from '../measure';
import type { ControlRig } from './control-rig';

/**
 * Remote control round trip: `POST /api/sites/{siteId}/points/plc.setpoint/control` over HTTP on the
 * served hub, by the site manager, one command at a time. The hub relays the command over Redis and
 * the edge's uplink, the edge checks the user and the limits, writes the pymodbus register, reads it
 * back and returns the result the same way. Then the edge is stopped, and the same request times the
 * hub's 503 `edge_offline` response.
 */

export const CONTROL_COMMANDS = 200;

export interface ControlRoundTripResult {
  commands: number;
  online: Measurement;
  offline: Measurement;
}

async function sendControl(rig: ControlRig, value: number): Promise<{ status: number; result: ControlResult }> {
  const response = await fetch(`${rig.hub.url}/api/sites/${rig.ctx.siteId}/points/plc.setpoint/control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${rig.ctx.tokens.site_manager}` },
    body: JSON.stringify({ value }),
  });
  return { status: response.status, result: controlResultSchema.parse(await response.json()) };
}

/** Times the commands with the edge online, then stops the edge and times the refusals. Leaves the edge stopped. */
export async function runControlRoundTrip(rig: ControlRig): Promise<ControlRoundTripResult> {
  let sent = 0;
  const online = await measure('control, edge online', CONTROL_COMMANDS, 1, async () => {
    // Alternate values, so every command changes the register.
    const value = sent++ % 2 === 0 ? 40 : 60;
    const { status, result } = await sendControl(rig, value);
    if (status !== 200 || !result.ok || result.readBack !== value) throw new Error(`control of ${value} failed with ${status}: ${JSON.stringify(result)}`);
  });

  await rig.stopEdge();
  const offline = await measure('control, edge stopped', CONTROL_COMMANDS, 1, async () => {
    const { status, result } = await sendControl(rig, 50);
    if (status !== 503 || result.ok || result.code !== 'edge_offline') throw new Error(`expected 503 edge_offline with the edge stopped, got ${status}: ${JSON.stringify(result)}`);
  });
  return { commands: CONTROL_COMMANDS, online, offline };
}
