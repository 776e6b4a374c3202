import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { createSilentLogger, type Logger } from '../logger';

/** A running in-process MQTT broker. */
export interface EmbeddedBroker {
  /** URL clients connect to, such as `mqtt://127.0.0.1:1883`. */
  url: string;
  host: string;
  port: number;
  /** Closes the listener, disconnects every client and stops the broker. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of the embedded broker. */
export interface EmbeddedBrokerOptions {
  /** Interface to bind. Default 127.0.0.1, so only this machine can connect. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 1883. */
  port?: number;
  /** Logger for start, stop and client errors; silent when omitted. */
  logger?: Logger;
}

/**
 * Starts an aedes MQTT broker in this process, for the demo when no broker is reachable. It keeps
 * sessions and retained messages in memory only and allows anonymous clients, so bind it to loopback.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? createSilentLogger();
  // Client ids of the edge node are longer than the 23 characters MQTT 3.1.1 brokers must accept.
  const broker = await Aedes.createBroker({ maxClientsIdLength: 256 });
  broker.on('clientError', (client, error) => logger.debug({ err: error, clientId: client.id }, 'MQTT client error'));
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 1883 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'embedded MQTT broker listener failed'));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  logger.info({ host, port }, 'embedded MQTT broker started');

  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${host}:${port}`,
    host,
    port,
    stop() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => broker.close(() => resolve()));
        // Open client connections keep `server.close` waiting; closing the broker ends them.
        broker.close();
      }).then(() => logger.info({ host, port }, 'embedded MQTT broker stopped'));
      return closing;
    },
  };
}

/**
 * Checks whether an MQTT broker accepts a connection at `url` within `timeoutMs`, with a CONNECT and
 * its CONNACK, then disconnects. Returns false on refusal, rejection or timeout; never throws.
 */
export async function isBrokerReachable(url: string, timeoutMs: number): Promise<boolean> {
  let client: ReturnType<typeof mqtt.connect>;
  try {
    client = mqtt.connect(url, {
      clientId: `simtestlab-probe-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      clean: true,
    });
  } catch {
    // mqtt.js throws at once for a URL it cannot use (unknown protocol); such a broker is unreachable.
    return false;
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    let settled = false;
    function finish(reachable: boolean): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end(true);
      resolve(reachable);
    }
    client.once('connect', () => finish(true));
    client.once('error', () => finish(false));
    client.once('close', () => finish(false));
  });
}
