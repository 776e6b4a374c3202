import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EDGE_ASSERTION_AUDIENCE, EDGE_ASSERTION_TYPE, hubServerMessageSchema, type HubServerMessage, type Sample } from '@simtestlab/sync';
import { importJWK, SignJWT, type CryptoKey } from 'jose';
import WebSocket from 'ws';
import { spawnHub, watchLog } from '../cli/start-hub';
import type { CloudFixture } from '../support/cloud-fixture';
import { EDGE_NODE_DIR } from '../sync-faults/edge-process';

/*
 * Real parts for the live relay tests: `cloud start` processes, an edge's live uplink as a process, and
 * a browser-like WebSocket client of the hub's `/ws`.
 */

/** A `cloud start` process that listens, with its port and log. */
export interface HubProcess {
  child: ChildProcess;
  port: number;
  log: ReturnType<typeof watchLog>;
}

/** Starts `cloud start` against the fixture and waits until it listens; `env` overrides. */
export async function startHubProcess(fixture: CloudFixture, env: Record<string, string> = {}): Promise<HubProcess> {
  // The fixture signs its tokens for the test issuer and audience.
  const child = spawnHub(fixture, fixture.keysDir, { JWT_ISSUER: fixture.deps.tokens.issuer, JWT_AUDIENCE: fixture.deps.tokens.audience, ...env });
  const log = watchLog(child);
  const listening = await log.waitFor('cloud hub listening');
  return { child, port: Number(listening.port), log };
}

/** The live uplink of a paired edge data folder, run by edge-node/test/cloud/uplink-driver.ts. */
export interface UplinkDriver {
  child: ChildProcess;
  logLines: { msg?: string; [field: string]: unknown }[];
  publish(sample: Sample): void;
  /** Resolves with the first log line after `fromIndex` whose msg is `msg`. */
  waitForLog(msg: string, fromIndex?: number, timeoutMs?: number): Promise<{ msg?: string; [field: string]: unknown }>;
}

export function startUplinkDriver(dataDir: string): UplinkDriver {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/cloud/uplink-driver.ts', dataDir], { cwd: EDGE_NODE_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
  const logLines: UplinkDriver['logLines'] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      logLines.push(JSON.parse(text) as UplinkDriver['logLines'][number]);
    } catch {
      logLines.push({ text });
    }
    for (const wake of waiters) wake();
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    child,
    logLines,
    publish: (sample) => child.stdin!.write(`${JSON.stringify({ sample })}\n`),
    waitForLog: (msg, fromIndex = 0, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = logLines.slice(fromIndex).find((line) => line.msg === msg);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the uplink driver logged no "${msg}" within ${timeoutMs} ms; stderr: ${stderr}; log: ${JSON.stringify(logLines.slice(-5))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Signs an edge assertion with the private key the pairing stored in `dataDir`, as the edge does. */
export async function signAssertionFromDataDir(dataDir: string): Promise<string> {
  const credential = JSON.parse(readFileSync(join(dataDir, 'cloud-credential.json'), 'utf8')) as { edgeNodeId: string; privateJwk: Record<string, string> };
  const key = (await importJWK({ ...credential.privateJwk, alg: 'ES256' }, 'ES256')) as CryptoKey;
  const nowS = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: EDGE_ASSERTION_TYPE, kid: credential.edgeNodeId })
    .setIssuer(credential.edgeNodeId)
    .setSubject(credential.edgeNodeId)
    .setAudience(EDGE_ASSERTION_AUDIENCE)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + 60)
    .setJti(randomUUID())
    .sign(key);
}

/** A browser-like client of `/ws` that records every message it receives. */
export class BrowserClient {
  readonly messages: HubServerMessage[] = [];
  private readonly waiters = new Set<() => void>();
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(hubServerMessageSchema.parse(JSON.parse(data.toString())));
      for (const wake of this.waiters) wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of this.waiters) wake();
    });
  }

  /** Opens `/ws` on `port` with the token in the `access_token` subprotocol, as a browser does, and waits for `welcome`. */
  static async connect(port: number, token: string): Promise<BrowserClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['access_token', token]);
    const client = new BrowserClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await client.next('welcome');
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Resolves with the first message after `fromIndex` of `type` that matches `predicate`. */
  next<T extends HubServerMessage['type']>(
    type: T,
    predicate: (message: Extract<HubServerMessage, { type: T }>) => boolean = () => true,
    fromIndex = 0,
    timeoutMs = 10_000,
  ): Promise<Extract<HubServerMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages
          .slice(fromIndex)
          .find((message): message is Extract<HubServerMessage, { type: T }> => message.type === type && predicate(message as Extract<HubServerMessage, { type: T }>));
        if (!found) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no "${type}" message within ${timeoutMs} ms; received: ${JSON.stringify(this.messages.slice(-5))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves once the socket is closed. */
  async waitForClose(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (!this.closed) throw new Error(`the socket did not close within ${timeoutMs} ms`);
    return this.closed;
  }

  /** Sample values of `point` received so far, in arrival order. */
  valuesOf(siteId: string, point: string): unknown[] {
    return this.messages.flatMap((message) =>
      message.type === 'site-samples' && message.siteId === siteId ? message.samples.filter((sample) => sample.point === point).map((sample) => sample.value) : [],
    );
  }

  close(): void {
    this.socket.close();
  }
}

/** Builds a good sample of `point` with `value`, timestamped now. */
export function sample(point: string, value: number | string): Sample {
  return { point, ts: Date.now(), value, quality: 'good' };
}

/** Resolves once `check` holds, polling every 20 ms; rejects after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends an upgrade request to `path` and returns the HTTP status and body the hub rejected it with. */
export function rejectedUpgrade(url: string, options: WebSocket.ClientOptions = {}, protocols?: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, options);
    socket.on('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body });
        request.destroy();
      });
    });
    socket.on('open', () => reject(new Error(`the upgrade to ${url} succeeded`)));
    socket.on('error', () => undefined);
  });
}
