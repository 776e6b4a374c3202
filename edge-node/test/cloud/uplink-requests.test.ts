import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  UPLINK_PATH,
  UPLINK_PROTOCOL_VERSION,
  uplinkEdgeMessageSchema,
  type UplinkAlarmAction,
  type UplinkControlCommand,
  type UplinkEdgeMessage,
  type UplinkHubMessage,
} from '@simtestlab/sync';
import { exportJWK, generateKeyPair } from 'jose';
import type ModbusRTU from 'modbus-serial';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CloudCredential } from '../../src/cloud/credential';
import { HubClient } from '../../src/cloud/hub-client';
import { LinkStatus } from '../../src/cloud/link-status';
import { startLiveUplink, type LiveUplink } from '../../src/cloud/live-uplink';
import { UplinkRequestHandler } from '../../src/cloud/uplink-requests';
import { LiveHub } from '../../src/live/live-hub';
import { AlarmHarness, rules } from '../alarms/alarm-support';
import { ControlFixture, modbusDevice, waitUntil } from '../control/control-support';
import { startPymodbus, type PymodbusServer } from '../drivers/modbus/pymodbus-process';
import { closeModbusClient, connectModbusClient } from '../simulate/modbus-test-client';

/*
 * Requests from the hub on a real uplink: a stand-in hub on loopback sends control commands and alarm
 * actions. The edge runs them with its control service against a pymodbus device and with its alarm
 * service, and sends the results on the socket. Losing the uplink ends the remote leases.
 */

const SETPOINT_ADDRESS = 10;
const SAFE_VALUE = 5;

interface HubConnection {
  socket: WebSocket;
  frames: UplinkEdgeMessage[];
}

let modbus: PymodbusServer;
let reader: ModbusRTU;
let server: WebSocketServer;
let connections: HubConnection[];
let control: ControlFixture;
let alarms: AlarmHarness;
let status: LinkStatus;
let uplink: LiveUplink | undefined;
let credential: CloudCredential;

beforeAll(async () => {
  modbus = await startPymodbus({ transport: 'tcp' }, { 1: { hr: { [SETPOINT_ADDRESS]: SAFE_VALUE } } });
  reader = await connectModbusClient(modbus.port!, 1);
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  credential = {
    cloudUrl: 'http://127.0.0.1:1',
    edgeNodeId: '0b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11',
    organizationId: 'org',
    siteId: 'site-1',
    siteName: 'Plant A',
    timeZone: 'Europe/Paris',
    privateJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d! },
    pairedAt: new Date().toISOString(),
  };
}, 30_000);

afterAll(async () => {
  if (reader) await closeModbusClient(reader);
  await modbus?.stop();
});

beforeEach(async () => {
  connections = [];
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: UPLINK_PATH });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    const connection: HubConnection = { socket, frames: [] };
    socket.on('message', (data) => connection.frames.push(uplinkEdgeMessageSchema.parse(JSON.parse(data.toString()))));
    connections.push(connection);
    send(connection, { type: 'uplink-hello', protocol: UPLINK_PROTOCOL_VERSION, siteId: 'site-1', serverTime: Date.now() });
  });

  control = new ControlFixture([
    modbusDevice(modbus.port!, [
      {
        key: 'setpoint',
        address: SETPOINT_ADDRESS,
        dataType: 'uint16',
        writable: true,
        min: 0,
        max: 100,
        control: { safeValue: SAFE_VALUE, leaseS: 5, minIntervalMs: 0, verifyTimeoutMs: 1_000 },
      },
    ]),
  ]);
  await control.start();
  await reader.writeRegister(SETPOINT_ADDRESS, SAFE_VALUE);
  alarms = new AlarmHarness(rules({ id: 'high-power', condition: { type: 'high', limit: 100, deadband: 0 } }));
  for (const [userId, role] of [
    ['hub-manager', 'site_manager'],
    ['hub-viewer', 'viewer'],
    ['hub-operator', 'operator'],
  ] as const) {
    for (const db of [control.db, alarms.db]) {
      db.prepare('INSERT INTO cloud_site_users (user_id, site_id, email, name, role, status, developer) VALUES (?, ?, ?, ?, ?, ?, 0)').run(
        userId,
        'site-1',
        `${userId}@acme.test`,
        userId,
        role,
        'active',
      );
    }
  }

  const client = await HubClient.create({ ...credential, cloudUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  status = new LinkStatus();
  const requests = new UplinkRequestHandler({ db: control.db, alarms: alarms.service, control: control.service, logger: control.log.logger });
  uplink = startLiveUplink({ client, hub: new LiveHub(control.log.logger), status, logger: control.log.logger, requests, initialBackoffMs: 50, maxBackoffMs: 200 });
  await waitUntil(() => status.liveConnected, 5_000, 'the uplink to connect');
});

afterEach(async () => {
  await uplink?.stop();
  uplink = undefined;
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
  await control?.close();
  alarms?.close();
});

function send(connection: HubConnection, message: UplinkHubMessage): void {
  connection.socket.send(JSON.stringify(message));
}

function user(id: string) {
  return { id, email: `${id}@acme.test`, name: `Hub ${id}` };
}

function writeCommand(value: number, userId = 'hub-manager'): UplinkControlCommand {
  return { type: 'control-command', requestId: randomUUID(), point: 'plc.setpoint', command: { kind: 'write', value }, user: user(userId) };
}

async function reply<T extends UplinkEdgeMessage['type']>(type: T, requestId: string, connection = connections[0]!): Promise<Extract<UplinkEdgeMessage, { type: T }>> {
  const find = () => connection.frames.find((frame) => frame.type === type && 'requestId' in frame && frame.requestId === requestId);
  await waitUntil(() => find() !== undefined, 5_000, `a ${type} for ${requestId}`);
  return find() as Extract<UplinkEdgeMessage, { type: T }>;
}

async function register(): Promise<number> {
  return (await reader.readHoldingRegisters(SETPOINT_ADDRESS, 1)).data[0]!;
}

describe('control commands from the hub', () => {
  it('writes and answers with the verified result', async () => {
    const command = writeCommand(42);

    send(connections[0]!, command);
    const { result } = await reply('control-result', command.requestId);

    expect(result).toMatchObject({ ok: true, point: 'plc.setpoint', command: 'write', previousValue: SAFE_VALUE, value: 42, readBack: 42 });
    if (!result.ok) throw new Error(`the write failed: ${result.message}`);
    expect(result.lease).toMatchObject({ source: 'remote', value: 42, userId: 'hub-manager', userName: 'Hub hub-manager' });
    expect(await register()).toBe(42);
  });

  it('checks the right with the synced role', async () => {
    const command = writeCommand(30, 'hub-viewer');

    send(connections[0]!, command);
    const { result } = await reply('control-result', command.requestId);

    expect(result).toMatchObject({ ok: false, code: 'not_permitted' });
    expect(await register()).toBe(SAFE_VALUE);
  });

  it('refuses a user the edge does not know', async () => {
    const command = writeCommand(30, 'stranger');

    send(connections[0]!, command);
    const { result } = await reply('control-result', command.requestId);

    expect(result).toMatchObject({ ok: false, code: 'not_permitted' });
  });

  it('answers a refusal naming the limit', async () => {
    const command = writeCommand(150);

    send(connections[0]!, command);
    const { result } = await reply('control-result', command.requestId);

    expect(result).toMatchObject({ ok: false, code: 'out_of_limits', limit: { name: 'max', value: 100 } });
    expect(await register()).toBe(SAFE_VALUE);
  });

  it('restores the safe value when the uplink is lost', async () => {
    const command = writeCommand(77);
    send(connections[0]!, command);
    await reply('control-result', command.requestId);
    expect(await register()).toBe(77);

    connections[0]!.socket.terminate();

    await waitUntil(async () => (await register()) === SAFE_VALUE, 5_000, 'the safe value after the uplink was lost');
    expect(control.audit('control.link_lost_release')).toHaveLength(1);
  });

  it('ignores an invalid command', async () => {
    connections[0]!.socket.send(JSON.stringify({ type: 'control-command', requestId: 'not-a-uuid', point: 'plc.setpoint', command: { kind: 'write', value: 1 }, user: user('hub-manager') }));
    const valid = writeCommand(12);
    send(connections[0]!, valid);
    await reply('control-result', valid.requestId);

    expect(connections[0]!.frames.filter((frame) => frame.type === 'control-result')).toHaveLength(1);
    expect(control.log.messages(40)).toContain('the hub sent an unknown message on the live uplink; ignoring it');
  });
});

describe('alarm actions from the hub', () => {
  function raise(): string {
    alarms.service.observeSample({ point: 'meter.powerW', ts: alarms.now, value: 150, quality: 'good' });
    return alarms.service.active()[0]!.occurrence!;
  }

  function acknowledge(occurrence: string, userId = 'hub-operator'): UplinkAlarmAction {
    return { type: 'alarm-action', requestId: randomUUID(), ruleId: 'high-power', action: 'acknowledge', body: { occurrence }, user: user(userId), at: alarms.now + 1_000 };
  }

  it('applies an acknowledgement and answers', async () => {
    const action = acknowledge(raise());

    send(connections[0]!, action);
    const { result } = await reply('alarm-action-result', action.requestId);

    expect(result).toMatchObject({ ok: true, duplicate: false, transition: { action: 'acknowledge', from: 'active_unack', to: 'active_ack', requestId: action.requestId } });
    if (!result.ok) throw new Error(`the acknowledgement failed: ${result.message}`);
    expect(result.transition.user).toEqual({ id: 'hub-operator', name: 'Hub hub-operator', origin: 'cloud' });
    expect(result.transition.at).toBe(action.at);
    expect(alarms.service.active()[0]).toMatchObject({ state: 'active_ack', acknowledgedBy: { id: 'hub-operator', origin: 'cloud' } });
  });

  it('answers a resend with the stored result', async () => {
    const action = acknowledge(raise());
    send(connections[0]!, action);
    const first = await reply('alarm-action-result', action.requestId);
    const transitions = alarms.changes.length;

    await uplink!.stop();
    await waitUntil(() => !status.liveConnected, 5_000, 'the uplink to stop');
    const client = await HubClient.create({ ...credential, cloudUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    uplink = startLiveUplink({
      client,
      hub: new LiveHub(control.log.logger),
      status,
      logger: control.log.logger,
      requests: new UplinkRequestHandler({ db: control.db, alarms: alarms.service, control: control.service, logger: control.log.logger }),
    });
    await waitUntil(() => connections.length === 2 && status.liveConnected, 5_000, 'the uplink to reconnect');
    send(connections[1]!, action);
    const second = await reply('alarm-action-result', action.requestId, connections[1]);

    expect(second.result).toEqual(first.result);
    expect(alarms.changes).toHaveLength(transitions);
  });

  it('refuses a viewer', async () => {
    const action = acknowledge(raise(), 'hub-viewer');

    send(connections[0]!, action);
    const { result } = await reply('alarm-action-result', action.requestId);

    expect(result).toMatchObject({ ok: false, code: 'not_permitted' });
    expect(alarms.service.active()[0]!.state).toBe('active_unack');
  });
});
