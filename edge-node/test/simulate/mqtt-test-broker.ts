import mqtt, { type MqttClient } from 'mqtt';
import { isBrokerReachable } from '../../src/simulate/embedded-broker';

/** The shared Mosquitto of the test machine. Tests only connect to it; they never stop it. */
export const SHARED_BROKER_URL = 'mqtt://127.0.0.1:1883';

/** Throws an error naming the service when the shared Mosquitto does not accept a connection. */
export async function requireSharedBroker(): Promise<void> {
  if (!(await isBrokerReachable(SHARED_BROKER_URL, 2000))) {
    throw new Error(`Mosquitto is not answering at ${SHARED_BROKER_URL}; start it (apt-get install mosquitto; mosquitto -d)`);
  }
}

/** Returns an id unique to this process and call, for topics that no other test run uses. */
export function uniqueTestId(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A message a test subscriber received, with its arrival time. */
export interface ReceivedMessage {
  topic: string;
  payload: string;
  retain: boolean;
  receivedAtMs: number;
}

/** Connects a plain mqtt.js client that records every message on `filter`. */
export async function recordMessages(url: string, filter: string): Promise<{ client: MqttClient; messages: ReceivedMessage[] }> {
  const client = await mqtt.connectAsync(url, { clientId: uniqueTestId('simtestlab-test-recorder'), reconnectPeriod: 0 });
  const messages: ReceivedMessage[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload: payload.toString(), retain: packet.retain, receivedAtMs: Date.now() }));
  await client.subscribeAsync(filter, { qos: 0 });
  return { client, messages };
}

/** Resolves once `condition` holds, polling every 20 ms; rejects after `timeoutMs` with `what` in the message. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
