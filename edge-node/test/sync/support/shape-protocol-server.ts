import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A peer for the real `@electric-sql/client` that speaks the Electric shape protocol over HTTP on
 * 127.0.0.1 and responds to each shape's requests with a scripted sequence of responses, in order. A
 * request that arrives before its response is scripted is held open, like a live long-poll on a hub
 * with no changes, until the test scripts the response or the client aborts. It is not a model of the
 * hub: it serves exactly what each test scripts.
 */

export interface ScriptedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface RecordedRequest {
  shape: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** Message as it travels on the wire: values are Postgres text, parsed by the client with `electric-schema`. */
export type WireMessage = { key?: string; value?: Record<string, string | null>; headers: Record<string, string> };

/** Column types of the devices shape, in the `electric-schema` header format. */
export const devicesSchema = {
  id: { type: 'text' },
  site_id: { type: 'text' },
  node_id: { type: 'text' },
  key: { type: 'text' },
  driver: { type: 'text' },
  config: { type: 'jsonb' },
};

export function insertDevice(id: string, config: object = { unitId: 1 }): WireMessage {
  return {
    key: `"public"."devices"/"${id}"`,
    value: { id, site_id: 'site-1', node_id: null, key: `meter-${id}`, driver: 'modbus', config: JSON.stringify(config) },
    headers: { operation: 'insert' },
  };
}

let cursor = 0;

/**
 * Builds a 200 response. Every response carries a new `electric-cursor`. The pinned client (1.5.28)
 * withholds the first up-to-date of a new stream from subscribers when its cursor equals the one of
 * the shape's last up-to-date less than 60 s before, taking the response for a cached replay.
 */
export function page(options: { handle: string; offset: string; messages?: WireMessage[]; upToDate?: boolean; live?: boolean }): ScriptedResponse {
  cursor++;
  const headers: Record<string, string> = {
    'electric-handle': options.handle,
    'electric-offset': options.offset,
    'electric-cursor': String(cursor),
  };
  if (!options.live) headers['electric-schema'] = JSON.stringify(devicesSchema);
  if (options.upToDate) headers['electric-up-to-date'] = '';
  const body: WireMessage[] = [...(options.messages ?? [])];
  if (options.upToDate) body.push({ headers: { control: 'up-to-date' } });
  return { status: 200, headers, body };
}

/** 409: the client's handle is gone and it must load the shape again under `handle`. */
export function mustRefetch(handle: string): ScriptedResponse {
  return { status: 409, headers: { 'electric-handle': handle }, body: [{ headers: { control: 'must-refetch' } }] };
}

/** 401 in the hub's error body format with the code the hub sends for a revoked edge. */
export function edgeRevoked(): ScriptedResponse {
  return { status: 401, headers: {}, body: { error: { code: 'edge_revoked', message: 'this edge was revoked; pair it again' } } };
}

export class ShapeProtocolServer {
  readonly requests: RecordedRequest[] = [];
  private readonly scripts = new Map<string, ScriptedResponse[]>();
  private readonly heldResponses = new Map<string, ServerResponse[]>();

  private constructor(private readonly server: Server) {
    server.on('request', (request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const match = /^\/api\/edge\/shapes\/([a-z_]+)$/.exec(url.pathname);
      if (!match) {
        response.writeHead(404).end();
        return;
      }
      const shape = match[1]!;
      this.requests.push({ shape, query: url.searchParams, headers: request.headers });
      const next = this.scripts.get(shape)?.shift();
      if (next) {
        send(response, next);
        return;
      }
      const held = this.heldResponses.get(shape) ?? [];
      held.push(response);
      this.heldResponses.set(shape, held);
      response.on('close', () => {
        const index = held.indexOf(response);
        if (index >= 0) held.splice(index, 1);
      });
    });
  }

  static async start(): Promise<ShapeProtocolServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new ShapeProtocolServer(server);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Scripts the next responses of a shape. A held request gets the first of them at once. */
  push(shape: string, ...responses: ScriptedResponse[]): void {
    const script = this.scripts.get(shape) ?? [];
    script.push(...responses);
    this.scripts.set(shape, script);
    const held = this.heldResponses.get(shape) ?? [];
    while (held.length > 0 && script.length > 0) send(held.shift()!, script.shift()!);
  }

  requestsOf(shape: string): RecordedRequest[] {
    return this.requests.filter((request) => request.shape === shape);
  }

  /** Number of requests of a shape held open now. */
  heldCount(shape: string): number {
    return this.heldResponses.get(shape)?.length ?? 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}

function send(response: ServerResponse, scripted: ScriptedResponse): void {
  response.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
  response.end(JSON.stringify(scripted.body));
}
