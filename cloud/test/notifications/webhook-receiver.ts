import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One request the receiver got. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** Status the receiver responded with. */
  status: number;
}

/** An HTTP server on 127.0.0.1 that records webhook requests and responds with scripted statuses. */
export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Sets the statuses of the next requests, in order. After them it responds with `then`. */
  respond(statuses: number[], then?: number): void;
  close(): Promise<void>;
}

/** Starts a receiver on a free port of 127.0.0.1. It responds 204 until `respond` sets other statuses. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let scripted: number[] = [];
  let fallback = 204;
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = scripted.shift() ?? fallback;
      requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status, { 'Content-Type': 'text/plain' });
      response.end(status >= 400 ? `receiver failure ${requests.length}` : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the webhook receiver has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    requests,
    respond: (statuses, then = 204) => {
      scripted = [...statuses];
      fallback = then;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
