import {
  UPLINK_PATH,
  UPLINK_PROTOCOL_HEADER,
  UPLINK_PROTOCOL_VERSION,
  uplinkHubMessageSchema,
  type AlarmActionResult,
  type ControlResult,
  type UplinkAlarmAction,
  type UplinkControlCommand,
  type UplinkEdgeMessage,
  type UplinkHubMessage,
} from '@simtestlab/sync';
import WebSocket from 'ws';
import { signAssertionFromDataDir } from '../live/live-support';

/*
 * A stand-in edge for the hub's request routing tests: it opens the uplink with the assertion of a
 * paired data folder, records every hub message and replies to requests with the results the test sets.
 */

/** Returns the result to send for a command, or undefined to send none. */
export type ControlAnswer = (command: UplinkControlCommand) => ControlResult | undefined;
export type AlarmAnswer = (action: UplinkAlarmAction) => AlarmActionResult | undefined;

/** Accepts a write or release as a device would: the requested value is read back. */
export const acceptCommand: ControlAnswer = (command) => ({
  ok: true,
  point: command.point,
  command: command.command.kind,
  previousValue: 0,
  value: command.command.kind === 'write' ? command.command.value : 0,
  readBack: command.command.kind === 'write' ? command.command.value : 0,
  lease:
    command.command.kind === 'write'
      ? { point: command.point, source: 'remote', value: command.command.value, userId: command.user.id, userName: command.user.name, startedAt: 1, expiresAt: 60_001 }
      : null,
});

export class StubEdge {
  readonly received: UplinkHubMessage[] = [];
  answerControl: ControlAnswer = acceptCommand;
  answerAlarm: AlarmAnswer = () => undefined;
  private readonly waiters = new Set<() => void>();
  closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = uplinkHubMessageSchema.parse(JSON.parse(data.toString()));
      this.received.push(message);
      if (message.type === 'control-command') {
        const result = this.answerControl(message);
        if (result !== undefined) this.send({ type: 'control-result', requestId: message.requestId, result });
      } else if (message.type === 'alarm-action') {
        const result = this.answerAlarm(message);
        if (result !== undefined) this.send({ type: 'alarm-action-result', requestId: message.requestId, result });
      }
      for (const wake of this.waiters) wake();
    });
    socket.on('close', () => {
      this.closed = true;
    });
  }

  /** Opens the uplink of the edge paired in `dataDir` on the hub at `port` and waits for `uplink-hello`. */
  static async connect(port: number, dataDir: string): Promise<StubEdge> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${UPLINK_PATH}`, {
      headers: { Authorization: `Bearer ${await signAssertionFromDataDir(dataDir)}`, [UPLINK_PROTOCOL_HEADER]: String(UPLINK_PROTOCOL_VERSION) },
    });
    const edge = new StubEdge(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await edge.next('uplink-hello');
    return edge;
  }

  send(message: UplinkEdgeMessage): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Messages of `type` received so far. */
  all<T extends UplinkHubMessage['type']>(type: T): Extract<UplinkHubMessage, { type: T }>[] {
    return this.received.filter((message): message is Extract<UplinkHubMessage, { type: T }> => message.type === type);
  }

  /** Resolves with the first message of `type` after `fromIndex` that matches `predicate`. */
  next<T extends UplinkHubMessage['type']>(
    type: T,
    predicate: (message: Extract<UplinkHubMessage, { type: T }>) => boolean = () => true,
    fromIndex = 0,
    timeoutMs = 10_000,
  ): Promise<Extract<UplinkHubMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.slice(fromIndex).find((message): message is Extract<UplinkHubMessage, { type: T }> => message.type === type && predicate(message as Extract<UplinkHubMessage, { type: T }>));
        if (!found) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`the stub edge received no "${type}" within ${timeoutMs} ms; received: ${JSON.stringify(this.received.slice(-5))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Closes the uplink and resolves once the socket is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    const closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.close();
    await closed;
  }
}
