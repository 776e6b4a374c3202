import type { ControlResult } from '@simtestlab/sync';

/*
 * Results the hub builds itself when it cannot relay a control command or gets no result back. They have the
 * shape of the edge's results, so a client handles one shape whatever failed.
 */

type ControlFailure = Extract<ControlResult, { ok: false }>;

/** Builds the result of a command that was not sent because no hub instance has an uplink from the site's edge. `reason` names what the hub found. */
export function edgeOffline(point: string, reason: string): ControlFailure {
  return {
    ok: false,
    point,
    code: 'edge_offline',
    message: `the command to ${point} was not sent: ${reason}. Remote commands are never queued; send it again once the edge node is online`,
  };
}

/** Builds the result of a command sent without a result back within `timeoutMs`, so it may or may not have run. */
export function edgeTimeout(point: string, timeoutMs: number): ControlFailure {
  return {
    ok: false,
    point,
    code: 'edge_timeout',
    message: `the edge node returned no result for the command to ${point} within ${timeoutMs} ms; the outcome is unknown, so check the value of ${point} before you send the command again`,
  };
}

/** Builds the result of a command whose uplink closed before the edge returned a result, so it may or may not have run. */
export function uplinkClosedBeforeResult(point: string): ControlFailure {
  return {
    ok: false,
    point,
    code: 'edge_timeout',
    message: `the edge node's uplink closed before the edge returned a result for the command to ${point}; the outcome is unknown, so check the value of ${point} before you send the command again`,
  };
}
