import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { FaultProxy, isPost, responseBody } from './fault-proxy';

/** One request as the HTTP server behind the proxy saw it. */
interface ServerSideRequest {
  method: string;
  path: string;
  bodyBytes: number;
  /** Whether the whole body arrived; false when the connection broke first. */
  complete: boolean;
}

let server: Server;
let serverPort: number;
const seen: ServerSideRequest[] = [];
let proxy: FaultProxy | undefined;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const entry: ServerSideRequest = { method: request.method ?? '', path: request.url ?? '', bodyBytes: 0, complete: false };
    seen.push(entry);
    request.on('data', (chunk: Buffer) => (entry.bodyBytes += chunk.length));
    request.on('end', () => {
      entry.complete = true;
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ bytes: entry.bodyBytes }));
    });
  });
  // Echoes every WebSocket message, so a test can check that frames cross the proxy both ways.
  const echo = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    echo.handleUpgrade(request, socket, head, (socketToClient) => socketToClient.on('message', (data) => socketToClient.send(`echo ${String(data)}`)));
  });
  serverPort = await new Promise<number>((listening) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      listening(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  seen.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
});

async function startProxy(): Promise<FaultProxy> {
  proxy = await FaultProxy.start({ targetPort: serverPort });
  return proxy;
}

/** Sends a request through `agent`, so a kept-alive connection is reused, and returns the response text. */
function send(agent: Agent, method: string, path: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port: proxy!.port, method, path, agent }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(text));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function post(path: string, bytes: number, signal?: AbortSignal): Promise<Response> {
  return fetch(`${proxy!.url}${path}`, { method: 'POST', body: 'x'.repeat(bytes), headers: { 'Content-Type': 'text/plain' }, signal });
}

describe('fault proxy', () => {
  it('passes requests through and records them', async () => {
    await startProxy();
    const first = await post('/upload?a=1', 1000);
    expect(await first.json()).toEqual({ bytes: 1000 });
    const second = await fetch(`${proxy!.url}/other`);
    expect(second.status).toBe(200);
    await second.text();

    expect(proxy!.requests.map((request) => [request.method, request.path, request.status])).toEqual([
      ['POST', '/upload?a=1', 200],
      ['GET', '/other', 200],
    ]);
    const [upload] = proxy!.requests;
    expect(isPost(upload!, '/upload')).toBe(true);
    expect(upload!.contentLength).toBe(1000);
    expect(upload!.receivedBytes).toBe(upload!.headBytes + 1000);
    expect(upload!.forwardedBytes).toBe(upload!.receivedBytes);
    expect(JSON.parse(responseBody(upload!.response)!.toString('utf8'))).toEqual({ bytes: 1000 });
  });

  it('tells requests apart on one connection', async () => {
    await startProxy();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await send(agent, 'POST', '/first', 'x'.repeat(1000));
      await send(agent, 'GET', '/second');
      await send(agent, 'POST', '/third', 'yy');
    } finally {
      agent.destroy();
    }

    const requests = proxy!.requests.map((request) => [request.connectionId, request.method, request.path, request.status, request.receivedBytes - request.headBytes]);
    expect(requests).toEqual([
      [1, 'POST', '/first', 200, 1000],
      [1, 'GET', '/second', 200, 0],
      [1, 'POST', '/third', 200, 2],
    ]);
  });

  it('cuts a request after a number of bytes', async () => {
    await startProxy();
    proxy!.onRequest = (request) => ({ action: 'cut', afterBytes: request.headBytes + 300 });
    await expect(post('/upload', 1000)).rejects.toThrow();

    await proxy!.waitFor((current) => (seen.length === 1 && current.requests[0]!.forwardedBytes > 0 ? true : undefined), 'the cut request');
    expect(proxy!.requests[0]!.forwardedBytes).toBe(proxy!.requests[0]!.headBytes + 300);
    expect(proxy!.requests[0]!.status).toBeNull();
    await proxy!.waitFor(() => (seen[0]!.bodyBytes === 300 ? true : undefined), 'the server to read 300 body bytes');
    expect(seen[0]!.complete).toBe(false);
  });

  it('holds a request until released', async () => {
    await startProxy();
    proxy!.onRequest = (request) => (isPost(request, '/upload') ? { action: 'hold' } : { action: 'pass' });
    const pending = post('/upload', 2000);
    const held = await proxy!.waitFor((current) => current.heldRequests.find((request) => request.receivedBytes === request.headBytes + 2000), 'a held request');
    expect(seen).toHaveLength(0);
    expect(held.forwardedBytes).toBe(0);

    proxy!.release();
    const response = await pending;
    expect(await response.json()).toEqual({ bytes: 2000 });
    expect(seen).toEqual([{ method: 'POST', path: '/upload', bodyBytes: 2000, complete: true }]);
    expect(proxy!.heldRequests).toHaveLength(0);
  });

  it('delivers a held request after its client left', async () => {
    await startProxy();
    proxy!.onRequest = () => ({ action: 'hold' });
    const abort = new AbortController();
    const pending = post('/upload', 500, abort.signal);
    await proxy!.waitFor((current) => current.heldRequests.find((request) => request.receivedBytes === request.headBytes + 500), 'a held request');
    abort.abort();
    await expect(pending).rejects.toThrow();

    proxy!.release();
    const delivered = await proxy!.waitFor((current) => (current.requests[0]!.status === null ? undefined : current.requests[0]!), 'the response to the orphan request');
    expect(delivered.status).toBe(200);
    expect(seen).toEqual([{ method: 'POST', path: '/upload', bodyBytes: 500, complete: true }]);
  });

  it('drops a response after the server handled it', async () => {
    await startProxy();
    const started: number[] = [];
    proxy!.onResponseStart = (request) => {
      started.push(seen.length);
      return isPost(request, '/upload') ? 'drop' : 'forward';
    };
    await expect(post('/upload', 100)).rejects.toThrow();

    expect(started).toEqual([1]);
    expect(seen[0]!.complete).toBe(true);
    expect(proxy!.requests[0]!.dropped).toBe(true);
    expect(proxy!.requests[0]!.status).toBe(200);

    const next = await fetch(`${proxy!.url}/after`);
    expect(next.status).toBe(200);
    await next.text();
    expect(proxy!.requests[1]!.dropped).toBe(false);
  });

  it('tunnels a WebSocket after the upgrade', async () => {
    await startProxy();
    const client = new WebSocket(`ws://127.0.0.1:${proxy!.port}/live`);
    await new Promise((opened, failed) => {
      client.once('open', opened);
      client.once('error', failed);
    });
    const replies: string[] = [];
    const twoReplies = new Promise<void>((done) =>
      client.on('message', (data) => {
        replies.push(String(data));
        if (replies.length === 2) done();
      }),
    );
    client.send('first');
    client.send('x'.repeat(100_000));
    await twoReplies;
    client.close();

    expect(replies[0]).toBe('echo first');
    expect(replies[1]).toBe(`echo ${'x'.repeat(100_000)}`);
    expect(proxy!.requests.map((request) => [request.method, request.path, request.status])).toEqual([['GET', '/live', 101]]);
  });

  it('resets a request before it reaches the server', async () => {
    await startProxy();
    proxy!.onRequest = () => ({ action: 'reset' });
    await expect(post('/upload', 100)).rejects.toThrow();
    expect(proxy!.requests[0]!.action).toBe('reset');
    expect(proxy!.requests[0]!.forwardedBytes).toBe(0);
    expect(seen).toHaveLength(0);
  });
});
