import { machineLines, type BenchMachine } from '../machine';
import { count, ms, table } from '../markdown';
import type { Measurement } from '../measure';
import type { AlarmLatencyResult } from './alarm-latency';
import type { ControlRoundTripResult } from './control-round-trip';

/** Heading of the section; `run.ts --only alarms-control` replaces the section from it to the next `## ` heading. */
export const ALARMS_CONTROL_HEADING = '## Cloud hub: alarms and control';

/** The edge uploader's default idle interval, which the uploader's wake spares an alarm transition. */
const UPLOAD_IDLE_INTERVAL_MS = 5_000;

export interface AlarmsControlResults {
  machine: BenchMachine;
  alarms: AlarmLatencyResult;
  control: ControlRoundTripResult;
}

function alarmPart(result: AlarmLatencyResult): string[] {
  const rows = [
    ['register write confirmed by the device', result.fromDevice],
    ["transition's `at` on the edge", result.fromTransition],
  ] as const;
  return [
    '### Alarm latency, edge to browser',
    '',
    `The bench writes the watched holding register of the device ${count(result.transitions)} times. It alternates between ${result.raisedValue}, above the`,
    `limit of 100 of the site file's \`high\` rule (no deadband, no delays), and ${result.clearedValue}, so half the transitions are raises and`,
    `half are clears. Before each write it waits a random 0 to ${result.pollIntervalMs} ms, so the writes fall anywhere in the poll cycle.`,
    'For each transition it times the `site-alarm` message at one browser socket in a child process, subscribed',
    "to the site with a viewer's token. The path: the edge's poll and alarm service, the uploader, woken by the",
    "transition, uploading the event, the hub's ingest, Redis, and the hub's `/ws`. Two clocks start. One starts",
    "when the device's response to the register write arrives, so it includes the wait for the edge's next poll.",
    "The other starts at the transition's `at`, which the edge stamps when its alarm service evaluates the polled",
    'value. All processes read one machine clock.',
    '',
    ...table(
      ['Measured from', 'Transitions', 'p50 ms', 'p99 ms', 'Max ms'],
      rows.map(([from, summary]) => [from, count(summary.count), ms(summary.p50Ms), ms(summary.p99Ms), ms(summary.maxMs)]),
    ),
    '',
    `The slowest transition took ${ms(result.fromDevice.maxMs)} ms from the device. Before the edge woke its uploader on alarm transitions, a transition could wait`,
    `up to the uploader's idle interval of ${UPLOAD_IDLE_INTERVAL_MS / 1000} s before its upload. Percentiles are nearest-rank.`,
    '',
  ];
}

function controlRow(edge: string, result: Measurement): string[] {
  return [edge, count(result.operations), count(result.opsPerSecond), `${ms(result.p50Ms)} / ${ms(result.p99Ms)} / ${ms(result.maxMs)}`];
}

function controlPart(result: ControlRoundTripResult): string[] {
  return [
    '### Remote control round trip',
    '',
    `The site manager sends ${count(result.commands)} commands \`POST /api/sites/{siteId}/points/{pointId}/control\` over HTTP to the hub,`,
    'one at a time. They alternate the values 40 and 60 on a writable holding register with no minimum interval',
    'between writes. The hub checks the right and relays the command through Redis to the uplink of the edge.',
    'The edge checks the user with its synced users and the limits, writes the register on the pymodbus device,',
    'reads it back and returns the result. The bench checks that every response is 200 with the value read back.',
    'The hub writes an audit entry for each command, refused ones too, before it responds. Then the edge process',
    'is stopped, and once the hub has dropped its uplink the bench sends the same request again and checks that',
    'every response is 503 `edge_offline`.',
    '',
    ...table(['Edge', 'Commands', 'Per second', 'p50 / p99 / max ms'], [controlRow('online', result.online), controlRow('stopped', result.offline)]),
    '',
  ];
}

/** Renders the alarms and control section of docs/benchmarks.md. */
export function renderAlarmsControlSection(results: AlarmsControlResults): string {
  return [
    ALARMS_CONTROL_HEADING,
    '',
    "Real processes and sockets on 127.0.0.1: the hub is the Hono app with its control routes and live relay",
    'served by `@hono/node-server` in the bench process, on a private database of the local Postgres and a private',
    'prefix of the local Redis. An `edge-node start` process paired with it polls a Modbus TCP device served by',
    `pymodbus 3.0 (Debian's python3-pymodbus) every ${results.alarms.pollIntervalMs} ms and uploads with the default idle interval of 5 s.`,
    '',
    ...machineLines(results.machine),
    '',
    ...alarmPart(results.alarms),
    ...controlPart(results.control),
  ].join('\n');
}
