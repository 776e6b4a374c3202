import type { BACNetAddress, CovNotifyPayload, IAMResult } from '@bacnet-js/client';
import type { Logger } from '../../logger';
import { DeviceConnectionError, DeviceTimeoutError } from '../errors';
import { apduTypes, peekApdu } from './apdu-peek';
import { describeRequest, translateBacnetError, type NegativeReplyKind, type RequestDescription } from './bacnet-errors';
import { BacnetClient, type BacnetClientInstance } from './bacnet-library';
import { InvokeIdPool, InvokeIdPoolClosedError, type InvokeIdPoolStats } from './invoke-id-pool';
import { UdpTransport } from './udp-transport';

/**
 * The single stateful core of the BACnet driver: one @bacnet-js/client per local UDP port, shared by
 * every device polled through that port. It adds the invoke id limiter, per-request timeouts and
 * retries, a check of the sender of each reply, and the routing of COV notifications.
 */

/** Options of a shared client: the address it binds and broadcasts to, and the library's APDU timeout. */
export interface SharedClientOptions {
  localAddress: string;
  localPort: number;
  broadcastAddress: string;
  /** The library's own timeout; a request's `apduTimeoutMs` above it is cut to it. */
  apduTimeoutMs: number;
  logger: Logger;
}

/** The device a request goes to, and how long to wait for it. */
export interface RequestTarget {
  device: string;
  receiver: BACNetAddress;
  /** `ip:port` that replies must come from: the device's, or its router's. */
  replyFrom: string;
  /** `device "ahu" (instance 1001 at 127.0.0.1:47809)`, for messages. */
  label: string;
  apduTimeoutMs: number;
  retries: number;
  logger: Logger;
  signal?: AbortSignal;
}

/** One I-Am, with the address it came from. */
export interface DiscoveredDevice {
  deviceInstance: number;
  /** `ip:port` the I-Am came from. */
  address: string;
  /** Network number and MAC address of a device behind a router. */
  network?: number;
  mac?: number[];
  maxApduLength: number;
  /** Segmentation support as the library's `Segmentation` enum: 0 both, 1 transmit, 2 receive, 3 none. */
  segmentation: number;
  vendorId: number;
}

/** A Who-Is: the instance range and where it goes. */
export interface WhoIsRequest {
  lowLimit?: number;
  highLimit?: number;
  /** `ip:port` to broadcast to (a segment's broadcast address) or to ask directly; default the client's broadcast address. */
  target?: string;
  /** Whether `target` is a single device rather than a broadcast address. */
  unicast?: boolean;
  /** Remote BACnet network to reach through a router; 65535 reaches every network. */
  network?: number;
  /** How long to collect I-Am replies. */
  waitMs: number;
}

/** A COV notification for one subscriber process, with the `ip:port` it came from. */
export type CovListener = (notification: CovNotifyPayload, from: string) => void;

interface PendingRequest {
  replyFrom: string;
  network?: number;
  negativeReply?: NegativeReplyKind;
}

export class SharedBacnetClient {
  readonly label: string;
  readonly apduTimeoutMs: number;
  private readonly logger: Logger;
  private readonly transport: UdpTransport;
  private readonly client: BacnetClientInstance;
  private readonly pool = new InvokeIdPool();
  private readonly pending = new Map<number, PendingRequest>();
  private readonly covListeners = new Map<number, CovListener>();
  private readonly listening: Promise<void>;
  private droppedReplies = 0;
  private segmentedQueue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: SharedClientOptions) {
    this.label = `udp ${options.localAddress}:${options.localPort}`;
    this.apduTimeoutMs = options.apduTimeoutMs;
    this.logger = options.logger;
    this.transport = new UdpTransport({
      port: options.localPort,
      localAddress: options.localAddress,
      broadcastAddress: options.broadcastAddress,
      logger: options.logger,
      accept: (datagram, from) => this.accept(datagram, from),
    });
    this.client = new BacnetClient({
      transport: this.transport,
      port: options.localPort,
      interface: options.localAddress,
      broadcastAddress: options.broadcastAddress,
      apduTimeout: options.apduTimeoutMs,
    });
    this.listening = new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.client.once('error', onError);
      this.client.once('listening', () => {
        this.client.off('error', onError);
        resolve();
      });
    });
    // Errors after binding (ICMP unreachable on some systems, a closed socket) are logged, not thrown.
    this.client.on('error', (error: Error) => this.logger.warn({ err: error, client: this.label }, 'BACnet client socket error'));
    this.client.on('covNotifyUnconfirmed', (content) => this.dispatchCov(content.payload, content.header?.sender));
    this.client.on('covNotify', (content) => {
      const sender = content.header?.sender;
      if (sender && content.service !== undefined && content.invokeId !== undefined) {
        this.client.simpleAckResponse(sender, content.service, content.invokeId);
      }
      this.dispatchCov(content.payload, sender);
    });
  }

  /** Resolves once the UDP port is bound. Throws DeviceConnectionError naming the port when it cannot be. */
  async open(device: string): Promise<void> {
    try {
      await this.listening;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DeviceConnectionError(`cannot bind the BACnet client to ${this.label}: ${reason}`, { device, cause: error });
    }
  }

  /**
   * Sends one confirmed request and returns the library's result. `send` gets the invoke id to pass
   * as the `invokeId` option. A request waits for a free id while 255 are outstanding. Each attempt
   * waits `apduTimeoutMs`, and a timeout is retried `retries` times with a new id. Errors, rejects
   * and aborts become typed DeviceErrors naming the device, object and property.
   */
  async request<T>(target: RequestTarget, request: RequestDescription, send: (client: BacnetClientInstance, invokeId: number) => Promise<T>): Promise<T> {
    const attempts = target.retries + 1;
    const timeoutMs = Math.min(target.apduTimeoutMs, this.apduTimeoutMs);
    let lastTimeout: DeviceTimeoutError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.attempt(target, request, timeoutMs, send);
      } catch (error) {
        if (!(error instanceof DeviceTimeoutError)) throw error;
        lastTimeout = error;
        if (attempt < attempts) target.logger.debug({ attempt, timeoutMs }, `${describeRequest(request)} timed out: retrying`);
      }
    }
    const message = `${describeRequest(request)} on ${target.label} timed out: no reply to ${attempts} attempt${attempts === 1 ? '' : 's'} of ${timeoutMs} ms`;
    throw new DeviceTimeoutError(message, { device: target.device, cause: lastTimeout });
  }

  /**
   * Sends a Who-Is and collects the I-Am replies for `waitMs`. Replies to the same instance from the
   * same address are reported once.
   */
  async whoIs(request: WhoIsRequest): Promise<DiscoveredDevice[]> {
    const found = new Map<string, DiscoveredDevice>();
    const onIAm = (content: { header?: { sender: BACNetAddress }; payload: IAMResult }) => {
      const sender = content.header?.sender;
      const address = sender?.address;
      if (address === undefined) return;
      const { deviceId, maxApdu, segmentation, vendorId } = content.payload;
      if (request.lowLimit !== undefined && deviceId < request.lowLimit) return;
      if (request.highLimit !== undefined && deviceId > request.highLimit) return;
      const device: DiscoveredDevice = {
        deviceInstance: deviceId,
        address: withPort(address),
        maxApduLength: maxApdu,
        segmentation,
        vendorId,
      };
      if (sender?.net !== undefined) device.network = sender.net;
      if (sender?.adr !== undefined) device.mac = sender.adr;
      found.set(`${deviceId}@${device.address}`, device);
    };
    this.client.on('iAm', onIAm);
    try {
      const limits = request.lowLimit === undefined && request.highLimit === undefined ? {} : { lowLimit: request.lowLimit ?? 0, highLimit: request.highLimit ?? 4_194_303 };
      const routed: BACNetAddress | undefined = request.network === undefined ? undefined : { net: request.network };
      if (request.unicast && request.target !== undefined) {
        this.client.whoIs({ ...routed, address: request.target }, limits);
      } else if (request.target !== undefined) {
        this.transport.broadcastTo(request.target, () => this.client.whoIs(routed ?? {}, limits));
      } else {
        this.client.whoIs(routed ?? {}, limits);
      }
      await new Promise((resolve) => setTimeout(resolve, request.waitMs));
    } finally {
      this.client.off('iAm', onIAm);
    }
    return [...found.values()].sort((a, b) => a.deviceInstance - b.deviceInstance);
  }

  /**
   * Runs `run` after every earlier exclusive run has finished. Requests whose reply may be segmented
   * go through here: @bacnet-js/client 3.3 reassembles segments in one buffer per client, so two
   * segmented replies at once would be mixed.
   */
  async exclusive<T>(run: () => Promise<T>): Promise<T> {
    const previous = this.segmentedQueue;
    let release: () => void = () => undefined;
    this.segmentedQueue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await run();
    } finally {
      release();
    }
  }

  /** Routes COV notifications for `processId` to `listener`; returns the function that stops it. */
  listenForCov(processId: number, listener: CovListener): () => void {
    this.covListeners.set(processId, listener);
    return () => {
      if (this.covListeners.get(processId) === listener) this.covListeners.delete(processId);
    };
  }

  /** Counters of the invoke id limiter and of replies dropped because they came from the wrong address. */
  stats(): InvokeIdPoolStats & { droppedReplies: number } {
    return { ...this.pool.stats(), droppedReplies: this.droppedReplies };
  }

  /** Closes the socket; requests in flight fail. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pool.close();
    this.covListeners.clear();
    this.client.close();
  }

  private async attempt<T>(
    target: RequestTarget,
    request: RequestDescription,
    timeoutMs: number,
    send: (client: BacnetClientInstance, invokeId: number) => Promise<T>,
  ): Promise<T> {
    const what = `${describeRequest(request)} on ${target.label}`;
    if (this.closed) throw new DeviceConnectionError(`${what} failed: the BACnet client on ${this.label} is closed`, { device: target.device });
    let invokeId: number;
    try {
      invokeId = await this.pool.acquire(target.signal);
    } catch (error) {
      if (!(error instanceof InvokeIdPoolClosedError)) throw error;
      throw new DeviceConnectionError(`${what} cancelled: ${error.message}`, { device: target.device, cause: error });
    }

    const pending: PendingRequest = { replyFrom: target.replyFrom };
    if (target.receiver.net !== undefined) pending.network = target.receiver.net;
    this.pending.set(invokeId, pending);
    let reply: Promise<T>;
    try {
      reply = send(this.client, invokeId);
    } catch (error) {
      this.forget(invokeId, 0);
      throw translateBacnetError(error, { device: target.device, target: target.label, request });
    }
    // The id stays taken until the library settles the request, whatever our own timer does.
    reply.then(
      () => this.forget(invokeId, 0),
      (error: unknown) => this.forget(invokeId, error instanceof Error && error.message === 'ERR_TIMEOUT' ? this.apduTimeoutMs : 0),
    );

    return await new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        settle();
        reject(new DeviceConnectionError(`${what} cancelled: the driver stopped`, { device: target.device }));
      };
      const timer = setTimeout(() => {
        settle();
        reject(new DeviceTimeoutError(`${what} timed out after ${timeoutMs} ms`, { device: target.device }));
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        target.signal?.removeEventListener('abort', onAbort);
      };
      target.signal?.addEventListener('abort', onAbort, { once: true });
      reply.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          const context = { device: target.device, target: target.label, request };
          reject(translateBacnetError(error, pending.negativeReply ? { ...context, negativeReply: pending.negativeReply } : context));
        },
      );
    });
  }

  private forget(invokeId: number, holdBackMs: number): void {
    this.pending.delete(invokeId);
    this.pool.release(invokeId, holdBackMs);
  }

  /**
   * Checks a datagram before the library receives it. A reply whose invoke id is outstanding must
   * come from the address that request went to. The library matches replies by invoke id alone, so a
   * late reply from one device could otherwise complete a request to another.
   */
  private accept(datagram: Buffer, from: string): boolean {
    const apdu = peekApdu(datagram);
    if (apdu?.invokeId === undefined) return true;
    if (apdu.type === apduTypes.abort && !apdu.fromServer) {
      // An Abort from a client concerns a transaction in which this client was the server. The
      // library would still settle a request of ours with the same id.
      this.logger.debug({ from, invokeId: apdu.invokeId }, 'dropped an Abort sent by a client');
      return false;
    }
    const pending = this.pending.get(apdu.invokeId);
    if (!pending) return true;
    const wrongNetwork = pending.network !== undefined && apdu.sourceNetwork !== pending.network;
    if (pending.replyFrom !== from || wrongNetwork) {
      this.droppedReplies++;
      this.logger.debug({ from, expected: pending.replyFrom, invokeId: apdu.invokeId }, 'dropped a reply from another address than the request went to');
      return false;
    }
    if (apdu.type === apduTypes.reject) pending.negativeReply = 'reject';
    if (apdu.type === apduTypes.abort) pending.negativeReply = 'abort';
    return true;
  }

  private dispatchCov(notification: CovNotifyPayload | undefined, sender: BACNetAddress | undefined): void {
    if (!notification) return;
    const listener = this.covListeners.get(notification.subscriberProcessId);
    if (!listener) {
      this.logger.debug({ processId: notification.subscriberProcessId }, 'COV notification for an unknown subscriber process ignored');
      return;
    }
    listener(notification, withPort(sender?.address ?? ''));
  }
}

/** Adds the standard port to an address the library reports without one. */
export function withPort(address: string): string {
  return address.includes(':') ? address : `${address}:47808`;
}
