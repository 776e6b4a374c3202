import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import type { Logger } from '../../logger';

/** The standard BACnet/IP UDP port, 0xBAC0. */
export const BACNET_IP_PORT = 47808;

/** Largest BVLC datagram the library builds: a 1476-octet APDU plus BVLC and NPDU headers. */
const MAX_PAYLOAD_OCTETS = 1482;

/**
 * Receive buffer asked for. With Linux's usual 208 KiB default, a burst of about a hundred small
 * replies (each datagram costs a kernel buffer of 1 to 2 KiB) overflows while the event loop is busy,
 * and the lost replies come back as timeouts. The kernel caps the request at net.core.rmem_max.
 */
const RECEIVE_BUFFER_OCTETS = 4 * 1024 * 1024;

export interface UdpTransportOptions {
  port: number;
  /** Address to bind; 0.0.0.0 receives broadcasts. */
  localAddress: string;
  /** `host` or `host:port` for broadcasts that name no target. */
  broadcastAddress: string;
  logger: Logger;
  /**
   * Called for every datagram before the library receives it, with the sender as `ip:port`. Returning
   * false drops the datagram.
   */
  accept?: (datagram: Buffer, from: string) => boolean;
}

/**
 * The UDP transport handed to @bacnet-js/client 3.3 in place of its own (the `transport` client
 * option). It implements the calls the library makes (`open`, `send`, `close`, `getMaxPayload` and
 * the `message`, `error` and `listening` events) and adds two things: an `accept` hook that checks
 * every datagram first, and `broadcastTo`, which sends one broadcast to another segment than the
 * configured one. Senders are always named `ip:port`.
 */
export class UdpTransport extends EventEmitter {
  private readonly socket: Socket;
  private broadcastTarget: string;
  private closed = false;

  constructor(private readonly options: UdpTransportOptions) {
    super();
    this.broadcastTarget = options.broadcastAddress;
    this.socket = createSocket({ type: 'udp4', reuseAddr: false });
    this.socket.on('message', (datagram: Buffer, remote: RemoteInfo) => this.receive(datagram, remote));
    this.socket.on('error', (error) => this.emit('error', error));
  }

  open(): void {
    this.socket.bind(this.options.port, this.options.localAddress, () => {
      this.socket.setBroadcast(true);
      this.socket.setRecvBufferSize(RECEIVE_BUFFER_OCTETS);
      this.options.logger.debug({ receiveBufferOctets: this.socket.getRecvBufferSize() }, 'BACnet UDP socket bound');
      this.emit('listening', this.socket.address());
    });
  }

  /** Sends `length` octets of `buffer` to `receiver` (`ip` or `ip:port`), or broadcasts without one. */
  send(buffer: Buffer, length: number, receiver?: string): void {
    const target = receiver ?? this.broadcastTarget;
    const { host, port } = splitHostPort(target);
    this.options.logger.trace({ to: target, frame: buffer.subarray(0, length).toString('hex') }, 'bacnet datagram sent');
    this.socket.send(buffer, 0, length, port, host, (error) => {
      if (error) this.options.logger.debug({ err: error, to: target }, 'sending a BACnet datagram failed');
    });
  }

  /** Runs `send` (which must broadcast synchronously) with broadcasts going to `target`. */
  broadcastTo(target: string, send: () => void): void {
    const previous = this.broadcastTarget;
    this.broadcastTarget = target;
    try {
      send();
    } finally {
      this.broadcastTarget = previous;
    }
  }

  getBroadcastAddress(): string {
    return this.broadcastTarget;
  }

  getMaxPayload(): number {
    return MAX_PAYLOAD_OCTETS;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(() => this.emit('close'));
  }

  private receive(datagram: Buffer, remote: RemoteInfo): void {
    const from = `${remote.address}:${remote.port}`;
    this.options.logger.trace({ from, frame: datagram.toString('hex') }, 'bacnet datagram received');
    if (this.options.accept && !this.options.accept(datagram, from)) return;
    // The library's own transport names a sender on port 47808 by its address alone, and the client
    // then drops every request (I-Am, COV notification) from exactly "127.0.0.1". Naming the port
    // always keeps those from a device on 127.0.0.1:47808.
    this.emit('message', datagram, from);
  }
}

/** Splits `host` or `host:port`; the port defaults to 47808. Throws a RangeError on a bad port. */
export function splitHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  if (colon < 0) return { host: address, port: BACNET_IP_PORT };
  const port = Number(address.slice(colon + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`invalid port in BACnet address "${address}"`);
  return { host: address.slice(0, colon), port };
}
