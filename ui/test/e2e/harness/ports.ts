import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/*
 * Ports picked by the OS on 127.0.0.1 for servers whose port must be known before they start. The hub's
 * URL is in PUBLIC_URL and in the edge's pairing, and the hub must come back on the same port after a
 * restart. The BACnet simulator does not take port 0. Another process could take such a port between
 * the probe and the start, and the start then fails with an error naming the port.
 */

/** Returns a TCP port of 127.0.0.1 that was free a moment ago. */
export async function spareTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  await new Promise((closed) => server.close(closed));
  if (address === null || typeof address === 'string') throw new Error('the TCP port probe got no port from the OS');
  return address.port;
}

/** Returns a UDP port of 127.0.0.1 that was free a moment ago. */
export async function spareUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((bound) => socket.bind(0, '127.0.0.1', bound));
  const { port } = socket.address();
  await new Promise<void>((closed) => socket.close(closed));
  return port;
}
