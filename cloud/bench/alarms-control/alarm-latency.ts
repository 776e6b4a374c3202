import { setTimeout as sleep } from 'node:timers/promises';
import { ALARM_RULE_ID, POWER_ADDRESS } from '../../test/control/edge-site';
import { startBrowserClients } from '../sync/browser-clients';
import { summarize, type LatencySummary } from '../sync/latency-summary';
import { RIG_POLL_INTERVAL_MS, type ControlRig } from './control-rig';

/**
 * Alarm latency from the device to a browser. The bench moves the watched register of the rig's
 * device across the alarm limit, alternately above and below it. For each raise or clear it times the
 * `site-alarm` message at a browser socket in a child process, subscribed to the site with a viewer's
 * token. The path: the edge's poll, its alarm service, the uploader's wake and upload, the hub's
 * ingest, Redis and the hub's `/ws`.
 */

export const ALARM_TRANSITIONS = 100;
const RAISED_VALUE = 150;
const CLEARED_VALUE = 0;
const TRANSITION_TIMEOUT_MS = 30_000;

export interface AlarmLatencyResult {
  transitions: number;
  pollIntervalMs: number;
  /** Register values written to raise and to clear the alarm. */
  raisedValue: number;
  clearedValue: number;
  /** From the moment the device confirmed the register write to the browser's receipt. */
  fromDevice: LatencySummary;
  /** From the transition's `at`, when the edge's alarm service saw the polled value, to the browser's receipt. */
  fromTransition: LatencySummary;
}

export async function runAlarmLatency(rig: ControlRig): Promise<AlarmLatencyResult> {
  const { hub, ctx, registers } = rig;
  const clients = await startBrowserClients(`ws://127.0.0.1:${hub.port}/ws`, ctx.tokens.viewer, ctx.siteId, 1);
  const fromDevice = new Float64Array(ALARM_TRANSITIONS);
  const fromTransition = new Float64Array(ALARM_TRANSITIONS);
  try {
    for (let index = 0; index < ALARM_TRANSITIONS; index += 1) {
      const action = index % 2 === 0 ? 'raise' : 'clear';
      // A random pause spreads the writes over the poll cycle, so the poll wait is not the same every time.
      await sleep(Math.random() * RIG_POLL_INTERVAL_MS);
      const arrival = clients.nextAlarm(({ change }) => change.alarm.ruleId === ALARM_RULE_ID && change.transition.action === action, TRANSITION_TIMEOUT_MS);
      await registers.writeRegister(POWER_ADDRESS, action === 'raise' ? RAISED_VALUE : CLEARED_VALUE);
      const changedAt = Date.now();
      const alarm = await arrival;
      fromDevice[index] = alarm.receivedAt - changedAt;
      fromTransition[index] = alarm.receivedAt - alarm.change.transition.at;
    }
  } finally {
    await clients.close();
  }
  return {
    transitions: ALARM_TRANSITIONS,
    pollIntervalMs: RIG_POLL_INTERVAL_MS,
    raisedValue: RAISED_VALUE,
    clearedValue: CLEARED_VALUE,
    fromDevice: summarize(fromDevice),
    fromTransition: summarize(fromTransition),
  };
}
