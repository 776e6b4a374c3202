/**
 * Run by remote-guard.netns.test.ts inside a private network namespace in which `lo` also carries
 * the non-loopback address given as the first argument. Starts the edge node's HTTP server on every
 * interface, once guarded and once with `allowRemote`, requests it from 127.0.0.1 and from the
 * other address, and prints the results as one JSON line on stdout.
 */
import { request } from 'node:http';
import { startHttpServer } from '../../src/api/server';
import { createSilentLogger } from '../../src/logger';
import { WebSocket } from 'ws';
import { createApiFixture } from './api-fixture';

/** What one request returned. */
export interface ProbeResult {
  from: string;
  status: number;
  body: string;
}

export interface ProbeReport {
  guarded: { http: ProbeResult[]; ws: ProbeResult[] };
  allowRemote: { http: ProbeResult[]; ws: ProbeResult[] };
}

function httpGet(host: string, port: number, path: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host, port, path, localAddress: host, timeout: 5000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ from: host, status: response.statusCode ?? 0, body }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`GET http://${host}:${port}${path} timed out`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Opens `/ws` from `host`; status 101 means the upgrade was accepted. */
function wsOpen(host: string, port: number, token: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${host}:${port}/ws`, ['access_token', token], { localAddress: host, handshakeTimeout: 5000 });
    socket.once('open', () => {
      socket.terminate();
      resolve({ from: host, status: 101, body: '' });
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ from: host, status: response.statusCode ?? 0, body }));
    });
    socket.once('error', reject);
  });
}

async function probe(remoteAddress: string, allowRemote: boolean) {
  const fixture = await createApiFixture();
  const server = await startHttpServer(fixture.runtime, createSilentLogger(), { host: '0.0.0.0', port: 0, allowRemote, auth: fixture.auth });
  try {
    const hosts = ['127.0.0.1', remoteAddress];
    const http: ProbeResult[] = [];
    const ws: ProbeResult[] = [];
    for (const host of hosts) {
      http.push(await httpGet(host, server.port, '/api/health'));
      ws.push(await wsOpen(host, server.port, fixture.token));
    }
    return { http, ws };
  } finally {
    await server.close();
    await fixture.close();
  }
}

const remoteAddress = process.argv[2];
if (remoteAddress === undefined) throw new Error('usage: netns-guard-probe.ts <non-loopback address on lo>');
const report: ProbeReport = { guarded: await probe(remoteAddress, false), allowRemote: await probe(remoteAddress, true) };
process.stdout.write(`${JSON.stringify(report)}\n`);
