import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { edgeOpenApiDocument } from '../../src/api/openapi';
import { LinkStatus } from '../../src/cloud/link-status';
import { createSilentLogger } from '../../src/logger';
import { DiskBudget } from '../../src/store/disk-budget';
import { Outbox } from '../../src/upload/outbox';
import { SyncMonitor } from '../../src/upload/sync-monitor';
import { UploadStats } from '../../src/upload/upload-stats';
import { addSiteUser } from '../auth/hub-support';
import { bearer, loginToken } from '../auth/auth-support';
import { createApiFixture, type ApiFixture } from './api-fixture';

let fixture: ApiFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const httpMethods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** Lists the operations of the document as `METHOD /path` with the path in OpenAPI form. */
function documentedOperations(): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries(edgeOpenApiDocument().paths ?? {})) {
    for (const method of httpMethods) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (operation) operations.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return operations;
}

describe('edgeOpenApiDocument', () => {
  it('builds without a runtime', () => {
    const document = edgeOpenApiDocument();
    const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('SimTestLab EMS edge node API');
    expect(document.info.version).toBe(packageVersion);
    expect(document.components?.securitySchemes).toHaveProperty('bearerAuth');
  });

  it('documents every route of the app', async () => {
    fixture = await createApiFixture();
    const logger = createSilentLogger();
    const diskBudget = new DiskBudget(join(fixture.dataDir, 'edge.db'), 1024, logger);
    const sync = new SyncMonitor({ outbox: new Outbox(fixture.runtime.db), link: new LinkStatus(), stats: new UploadStats(), diskBudget });
    const app = createApp(fixture.runtime, logger, { auth: fixture.auth, sync });
    const documented = documentedOperations();
    const served = app.routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path.replaceAll(/:([^/]+)/g, '{$1}')}`);

    expect(served).toContain('GET /api/sync/status');
    for (const operation of served) expect(documented.has(operation), `${operation} is served but not documented`).toBe(true);
  });

  it('gives each operation a success response', () => {
    for (const [name, operation] of documentedOperations()) {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      const described = success.some(([status, response]) => status === '204' || Object.values(response.content ?? {}).some((media) => media.schema !== undefined));
      expect(described, `${name} has no 2xx response with a schema`).toBe(true);
    }
  });

  it('documents the request schemas', () => {
    const operations = documentedOperations();
    const parameterNames = (name: string) => ((operations.get(name) as { parameters?: { name: string; in: string }[] }).parameters ?? []).map((parameter) => `${parameter.in}:${parameter.name}`);

    expect(parameterNames('GET /api/points/{point}/history')).toEqual(expect.arrayContaining(['path:point', 'query:from', 'query:to', 'query:resolution', 'query:limit']));
    expect(parameterNames('GET /api/alarms/history')).toEqual(expect.arrayContaining(['query:severity', 'query:from']));
    expect(operations.get('POST /api/points/{point}/control')).toHaveProperty('requestBody.content.application/json.schema');
    expect(operations.get('POST /api/me/password')).toHaveProperty('requestBody.content.application/json.schema');
  });

  it('documents the response schemas from sync', () => {
    const operations = documentedOperations();
    const components = edgeOpenApiDocument().components?.schemas ?? {};
    const jsonSchema = (name: string, status: string) => {
      const schema = operations.get(name)?.responses?.[status]?.content?.['application/json']?.schema as { $ref?: string } | undefined;
      return schema?.$ref === undefined ? schema : components[schema.$ref.replace('#/components/schemas/', '')];
    };

    expect(jsonSchema('GET /api/alarms', '200')).toHaveProperty('properties.alarms.items.properties.ruleId');
    expect(jsonSchema('GET /api/control/leases', '200')).toHaveProperty('properties.leases.items.properties.expiresAt');
    expect(jsonSchema('GET /api/points/{point}', '200')).toHaveProperty('properties.quality.enum', expect.arrayContaining(['good', 'stale', 'bad']));
    expect(jsonSchema('GET /api/me', '200')).toHaveProperty('properties.actions.items.enum', expect.arrayContaining(['dashboard.view', 'device.control']));
  });
});

describe('GET /api/openapi.json', () => {
  it('rejects a request without a token', async () => {
    fixture = await createApiFixture();

    const response = await fixture.app.request('/api/openapi.json');
    const body = (await response.json()) as { error: { code: string } };

    expect(response.status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  it('serves the document to a viewer', async () => {
    fixture = await createApiFixture();
    await addSiteUser(fixture.runtime.db, { email: 'viewer@example.com', role: 'viewer', password: 'viewer password 12' });
    const token = await loginToken(fixture.auth, 'viewer@example.com', 'viewer password 12');

    const response = await fixture.app.request('/api/openapi.json', bearer(token));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(edgeOpenApiDocument())));
  });
});
