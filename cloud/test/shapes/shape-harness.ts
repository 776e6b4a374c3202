import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { isChangeMessage, isControlMessage, ShapeStream, type Message, type Row } from '@electric-sql/client';
import { EDGE_ASSERTION_AUDIENCE, EDGE_ASSERTION_TYPE, type ShapeName } from '@simtestlab/sync';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createApp } from '../../src/api/app';
import type { AppDeps } from '../../src/api/env';
import type { TransactionSql } from '../../src/db/connect';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import type { ShapeSettings } from '../../src/shapes/routes';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';

/** A paired edge node made directly in SQL, with the private key it signs assertions with. */
export interface TestEdge {
  id: string;
  organizationId: string;
  siteId: string;
  assertion(): Promise<string>;
}

/** The cloud fixture with the app served over HTTP on 127.0.0.1, as the shape client needs. */
export interface ShapeHarness {
  fixture: CloudFixture;
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts the app with short shape limits on a free loopback port. */
export async function createShapeHarness(label: string, settings: ShapeSettings): Promise<ShapeHarness> {
  const fixture = await createCloudFixture(label);
  const app = createApp({ ...fixture.deps, ...settings } as AppDeps);
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started as Server)) as Server;
  });
  const { port } = server.address() as AddressInfo;
  return {
    fixture,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fixture.close();
    },
  };
}

/** Runs `work` as the owner in the all-organizations scope. */
export function asOwner<T>(fixture: CloudFixture, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return inTenantScope(fixture.db.owner, allOrganizations, work);
}

/** Runs `work` as the runtime role, scoped to one organization, as an API request does. */
export function asRuntime<T>(fixture: CloudFixture, organizationId: string, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return inTenantScope(fixture.sql, { all: false, organizationIds: [organizationId] }, work);
}

/** Inserts a paired edge node for a site and returns it with an assertion signer. */
export async function pairTestEdge(fixture: CloudFixture, siteId: string): Promise<TestEdge> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = await exportJWK(publicKey);
  const row = await asOwner(fixture, async (tx) => {
    const [edge] = await tx<{ id: string; organization_id: string }[]>`
      INSERT INTO edge_nodes (organization_id, site_id, name, public_jwk, paired_at)
      SELECT organization_id, id, 'edge', ${tx.json(publicJwk as Record<string, string>)}, now() FROM sites WHERE id = ${siteId}
      RETURNING id, organization_id`;
    return edge!;
  });
  return { id: row.id, organizationId: row.organization_id, siteId, assertion: () => signAssertion(row.id, privateKey) };
}

function signAssertion(edgeId: string, privateKey: CryptoKey): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: EDGE_ASSERTION_TYPE, kid: edgeId })
    .setAudience(EDGE_ASSERTION_AUDIENCE)
    .setIssuer(edgeId)
    .setSubject(edgeId)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(randomUUID())
    .sign(privateKey);
}

/** A ShapeStream applied as an edge applies it: batches land in `rows` at each up-to-date. */
export interface ShapeClient {
  stream: ShapeStream<Row>;
  rows: Map<string, Row>;
  /** Every change message received, in order. */
  changes: Message<Row>[];
  /** How many must-refetch messages arrived. */
  refetches: number;
  /** How many batches ended with up-to-date. */
  upToDates: number;
  waitFor(condition: () => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Subscribes to a shape as `edge`, optionally resuming from a stored handle and offset. */
export function syncShape(harness: ShapeHarness, edge: TestEdge, shape: ShapeName, resume?: { handle: string; offset: string }): ShapeClient {
  const controller = new AbortController();
  const stream = new ShapeStream<Row>({
    url: `${harness.baseUrl}/api/edge/shapes/${shape}`,
    headers: { Authorization: async () => `Bearer ${await edge.assertion()}` },
    signal: controller.signal,
    ...(resume === undefined ? {} : { handle: resume.handle, offset: resume.offset as `${number}_${number}` }),
  });
  const client: ShapeClient = {
    stream,
    rows: new Map(),
    changes: [],
    refetches: 0,
    upToDates: 0,
    waitFor: async (condition, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`shape ${shape} did not reach the expected state within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => {
      stream.unsubscribeAll();
      controller.abort();
    },
  };
  let pending: Message<Row>[] = [];
  stream.subscribe(
    (messages) => {
      for (const message of messages) {
        if (isChangeMessage(message)) {
          client.changes.push(message);
          pending.push(message);
        } else if (isControlMessage(message) && message.headers.control === 'must-refetch') {
          client.refetches += 1;
          client.rows.clear();
          pending = [];
        } else if (isControlMessage(message) && message.headers.control === 'up-to-date') {
          for (const change of pending) if (isChangeMessage(change)) applyChange(client.rows, change.key, change.headers.operation, change.value);
          pending = [];
          client.upToDates += 1;
        }
      }
    },
    (error) => {
      throw error;
    },
  );
  return client;
}

function applyChange(rows: Map<string, Row>, key: string, operation: string, value: Row): void {
  if (operation === 'delete') rows.delete(key);
  else rows.set(key, { ...(rows.get(key) ?? {}), ...value });
}
