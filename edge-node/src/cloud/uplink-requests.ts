import type {
  AlarmActionBody,
  AlarmActionResult,
  AlarmUserAction,
  ControlResult,
  ControlSource,
  ControlValue,
  UplinkAlarmAction,
  UplinkControlCommand,
  UplinkEdgeMessage,
} from '@simtestlab/sync';
import { actorFromRelayedUser, type SiteActor } from '../access/site-actor';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';

/** The part of the AlarmService that requests from the hub use. */
export interface UplinkAlarmActions {
  apply(request: { ruleId: string; action: AlarmUserAction; body: AlarmActionBody; actor: SiteActor; requestId?: string; at?: number }): AlarmActionResult;
}

/** The part of the ControlService that requests from the hub use. */
export interface UplinkControl {
  execute(request: {
    point: string;
    command: { kind: 'write'; value: ControlValue; leaseS?: number; confirmationToken?: string } | { kind: 'release' };
    actor: SiteActor;
    source: ControlSource;
  }): Promise<ControlResult>;
  endRemoteLeases(reason: string): Promise<void>;
}

/** A request the hub sends down the uplink. */
export type UplinkRequest = UplinkAlarmAction | UplinkControlCommand;

/** Reason given to the control service when the uplink closes, for its audit entries and logs. */
export const LINK_LOST_REASON = 'link to the hub lost';

export interface UplinkRequestHandlerOptions {
  db: SqliteDatabase;
  alarms: UplinkAlarmActions;
  control: UplinkControl;
  logger: Logger;
}

/**
 * Runs the requests hub users make through the uplink: alarm actions and remote control commands. The
 * hub names the user, and the edge builds the actor from its own synced users. So the alarm and control
 * services check the right exactly as for a request to the edge's own API.
 */
export class UplinkRequestHandler {
  constructor(private readonly options: UplinkRequestHandlerOptions) {}

  /**
   * Runs `request` and sends its result with `reply`. An alarm action that fails unexpectedly gets no
   * result, so the hub sends it again. Commands are never resent, so a control command that fails
   * unexpectedly gets a `device_error` saying that its outcome is unknown.
   */
  handle(request: UplinkRequest, reply: (message: UplinkEdgeMessage) => void): void {
    if (request.type === 'alarm-action') this.applyAlarmAction(request, reply);
    else void this.runControlCommand(request, reply);
  }

  /** Ends every remote lease, because without the uplink no hub user can renew or release them. */
  async linkLost(): Promise<void> {
    try {
      await this.options.control.endRemoteLeases(LINK_LOST_REASON);
    } catch (error) {
      this.options.logger.error({ err: error }, 'ending the remote control leases after the uplink closed failed; they end when their leases expire');
    }
  }

  private applyAlarmAction(request: UplinkAlarmAction, reply: (message: UplinkEdgeMessage) => void): void {
    const { db, alarms, logger } = this.options;
    const log = logger.child({ requestId: request.requestId, ruleId: request.ruleId, action: request.action, userId: request.user.id });
    let result: AlarmActionResult;
    try {
      result = alarms.apply({
        ruleId: request.ruleId,
        action: request.action,
        body: request.body,
        actor: actorFromRelayedUser(db, request.user),
        requestId: request.requestId,
        at: request.at,
      });
    } catch (error) {
      // No result is sent, so the hub sends the action again after the uplink reconnects.
      log.error({ err: error }, 'applying an alarm action from the hub failed');
      return;
    }
    log.info({ ok: result.ok, ...(result.ok ? { duplicate: result.duplicate } : { code: result.code }) }, 'applied an alarm action from the hub');
    reply({ type: 'alarm-action-result', requestId: request.requestId, result });
  }

  private async runControlCommand(request: UplinkControlCommand, reply: (message: UplinkEdgeMessage) => void): Promise<void> {
    const { db, control, logger } = this.options;
    const log = logger.child({ requestId: request.requestId, point: request.point, kind: request.command.kind, userId: request.user.id });
    let result: ControlResult;
    try {
      result = await control.execute({ point: request.point, command: request.command, actor: actorFromRelayedUser(db, request.user), source: 'remote' });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      log.error({ err: error }, 'running a control command from the hub failed; its outcome is unknown');
      result = {
        ok: false,
        point: request.point,
        code: 'device_error',
        message: `the edge failed to run the command (${detail}); its outcome is unknown: check the value of ${request.point} before trying again`,
      };
    }
    log.info({ ok: result.ok, ...(result.ok ? {} : { code: result.code }) }, 'ran a control command from the hub');
    reply({ type: 'control-result', requestId: request.requestId, result });
  }
}
