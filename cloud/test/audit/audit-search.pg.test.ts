import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';
import { seedAuditEntries } from './seed-audit';

let fixture: CloudFixture;
const tokens: Record<string, string> = {};
/** Entry ids by label, so expectations read as names. */
const ids: Record<string, string> = {};
let organizationA: string;
let organizationB: string;
let siteA1: string;
let siteB1: string;
let adminA: string;

/** Maps the entries of a response to their labels, in response order. */
function labels(body: { entries: { id: string }[] }): string[] {
  const byId = new Map(Object.entries(ids).map(([label, id]) => [id, label]));
  return body.entries.map((entry) => byId.get(entry.id) ?? `unknown ${entry.id}`);
}

async function search(user: string, query = ''): Promise<{ status: number; body: any }> {
  return call(fixture.app, tokens[user]!, 'GET', `/api/audit${query}`);
}

beforeAll(async () => {
  fixture = await createCloudFixture('audit_search');
  const seed = new Seed(fixture);
  organizationA = await seed.organization('Acme');
  organizationB = await seed.organization('Other');
  siteA1 = await seed.site(organizationA, 'A1');
  const siteA2 = await seed.site(organizationA, 'A2');
  siteB1 = await seed.site(organizationB, 'B1');

  await seed.user('root@platform.test', { platformAdmin: true });
  adminA = await seed.user('admin@acme.test');
  await seed.membership(adminA, organizationA, 'org_admin');
  const managerA1 = await seed.user('manager@acme.test');
  await seed.membership(managerA1, organizationA);
  await seed.siteAccess(managerA1, siteA1, 'site_manager');
  const operatorA1 = await seed.user('operator@acme.test');
  await seed.membership(operatorA1, organizationA);
  await seed.siteAccess(operatorA1, siteA1, 'operator');
  const adminB = await seed.user('admin@other.test');
  await seed.membership(adminB, organizationB, 'org_admin');
  // Administers B and manages A1, so reads the union of both scopes.
  const mixed = await seed.user('mixed@acme.test');
  await seed.membership(mixed, organizationA);
  await seed.siteAccess(mixed, siteA1, 'site_manager');
  await seed.membership(mixed, organizationB, 'org_admin');

  const entries = {
    platformUser: { at: '2024-01-01T00:00:00Z', organizationId: null, actorType: 'system' as const, actorId: 'cli', action: 'user.create', targetType: 'user', targetId: adminA },
    organizationA: { at: '2024-01-02T00:00:00Z', organizationId: organizationA, actorId: adminA, action: 'organization.update', targetType: 'organization', targetId: organizationA },
    siteA1Update: { at: '2024-01-03T00:00:00Z', organizationId: organizationA, siteId: siteA1, actorId: managerA1, action: 'site.update', targetType: 'site', targetId: siteA1, after: { name: 'A1' } },
    siteA1Grant: { at: '2024-01-04T00:00:00Z', organizationId: organizationA, siteId: siteA1, actorId: adminA, action: 'site_access.grant', targetType: 'user', targetId: operatorA1 },
    siteA2Revoke: { at: '2024-01-05T00:00:00Z', organizationId: organizationA, siteId: siteA2, actorId: adminA, action: 'site_access.revoke', targetType: 'user', targetId: managerA1 },
    siteB1Update: { at: '2024-01-06T00:00:00Z', organizationId: organizationB, siteId: siteB1, actorId: adminB, action: 'site.update', targetType: 'site', targetId: siteB1 },
    // Matches "site_access.*" only if the underscore were a LIKE wildcard.
    siteA1Lookalike: { at: '2024-01-07T00:00:00Z', organizationId: organizationA, siteId: siteA1, actorId: managerA1, action: 'siteXaccess.grant', targetType: 'site', targetId: siteA1 },
  };
  const inserted = await seedAuditEntries(fixture, Object.values(entries));
  Object.keys(entries).forEach((label, index) => {
    ids[label] = inserted[index]!;
  });

  for (const email of ['root@platform.test', 'admin@acme.test', 'manager@acme.test', 'operator@acme.test', 'admin@other.test', 'mixed@acme.test']) {
    tokens[email] = await login(fixture.app, email);
  }
});

afterAll(async () => {
  await fixture?.close();
});

const newestFirst = ['siteA1Lookalike', 'siteB1Update', 'siteA2Revoke', 'siteA1Grant', 'siteA1Update', 'organizationA', 'platformUser'];

describe('audit search scope', () => {
  it('shows a platform admin every entry', async () => {
    const { status, body } = await search('root@platform.test');
    expect(status).toBe(200);
    expect(labels(body)).toEqual(newestFirst);
  });

  it('shows an org admin their organization only', async () => {
    const { body } = await search('admin@acme.test');
    expect(labels(body)).toEqual(['siteA1Lookalike', 'siteA2Revoke', 'siteA1Grant', 'siteA1Update', 'organizationA']);
  });

  it('shows a site manager their site only', async () => {
    const { body } = await search('manager@acme.test');
    expect(labels(body)).toEqual(['siteA1Lookalike', 'siteA1Grant', 'siteA1Update']);
  });

  it('shows the union of administered organizations and managed sites', async () => {
    const { body } = await search('mixed@acme.test');
    expect(labels(body)).toEqual(['siteA1Lookalike', 'siteB1Update', 'siteA1Grant', 'siteA1Update']);
  });

  it('rejects an operator with 403', async () => {
    const { status, body } = await search('operator@acme.test');
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
  });

  it('rejects a request without a token', async () => {
    const { status } = await call(fixture.app, null, 'GET', '/api/audit');
    expect(status).toBe(401);
  });

  it('never shows another organization when filtered for it', async () => {
    const byOrganization = await search('admin@acme.test', `?organizationId=${organizationB}`);
    expect(byOrganization.status).toBe(200);
    expect(byOrganization.body.entries).toEqual([]);
    const bySite = await search('admin@acme.test', `?siteId=${siteB1}`);
    expect(bySite.body.entries).toEqual([]);
    const byOtherAdmin = await search('admin@other.test', `?organizationId=${organizationA}`);
    expect(byOtherAdmin.body.entries).toEqual([]);
  });
});

describe('audit search filters', () => {
  const cases: { name: string; query: () => string; expected: string[] }[] = [
    { name: 'organizationId', query: () => `organizationId=${organizationA}`, expected: ['siteA1Lookalike', 'siteA2Revoke', 'siteA1Grant', 'siteA1Update', 'organizationA'] },
    { name: 'siteId', query: () => `siteId=${siteA1}`, expected: ['siteA1Lookalike', 'siteA1Grant', 'siteA1Update'] },
    { name: 'actorId', query: () => `actorId=${adminA}`, expected: ['siteA2Revoke', 'siteA1Grant', 'organizationA'] },
    { name: 'actorId cli', query: () => 'actorId=cli', expected: ['platformUser'] },
    { name: 'exact action', query: () => 'action=site.update', expected: ['siteB1Update', 'siteA1Update'] },
    { name: 'action prefix', query: () => 'action=site_access.*', expected: ['siteA2Revoke', 'siteA1Grant'] },
    { name: 'targetType', query: () => 'targetType=organization', expected: ['organizationA'] },
    { name: 'targetId', query: () => `targetId=${siteA1}`, expected: ['siteA1Lookalike', 'siteA1Update'] },
    { name: 'from inclusive, to exclusive', query: () => 'from=2024-01-03T00:00:00Z&to=2024-01-05T00:00:00Z', expected: ['siteA1Grant', 'siteA1Update'] },
    { name: 'from with an offset', query: () => 'from=2024-01-06T01:00:00%2B02:00', expected: ['siteA1Lookalike', 'siteB1Update'] },
    { name: 'combined filters', query: () => `siteId=${siteA1}&action=site_access.*`, expected: ['siteA1Grant'] },
  ];

  for (const { name, query, expected } of cases) {
    it(`filters by ${name}`, async () => {
      const { status, body } = await search('root@platform.test', `?${query()}`);
      expect(status).toBe(200);
      expect(labels(body)).toEqual(expected);
    });
  }

  const invalid: { name: string; query: string; parameter: string }[] = [
    { name: 'limit 0', query: 'limit=0', parameter: 'limit' },
    { name: 'limit 501', query: 'limit=501', parameter: 'limit' },
    { name: 'a time without offset', query: 'from=2024-01-03T00:00:00', parameter: 'from' },
    { name: 'to before from', query: 'from=2024-01-03T00:00:00Z&to=2024-01-02T00:00:00Z', parameter: 'to' },
    { name: 'a lone star', query: 'action=*', parameter: 'action' },
    { name: 'a star inside', query: 'action=site*.update', parameter: 'action' },
    { name: 'a non-numeric cursor', query: 'cursor=abc', parameter: 'cursor' },
    { name: 'a cursor beyond bigint', query: 'cursor=9223372036854775808', parameter: 'cursor' },
    { name: 'a malformed organizationId', query: 'organizationId=acme', parameter: 'organizationId' },
  ];

  for (const { name, query, parameter } of invalid) {
    it(`rejects ${name}`, async () => {
      const { status, body } = await search('root@platform.test', `?${query}`);
      expect(status).toBe(400);
      expect(body.error.parameter).toBe(parameter);
    });
  }
});

describe('audit search paging', () => {
  it('pages newest first with a cursor', async () => {
    const first = await search('root@platform.test', '?limit=3');
    expect(labels(first.body)).toEqual(newestFirst.slice(0, 3));
    expect(first.body.nextCursor).toBe(ids.siteA2Revoke);

    const second = await search('root@platform.test', `?limit=3&cursor=${first.body.nextCursor}`);
    expect(labels(second.body)).toEqual(newestFirst.slice(3, 6));

    const last = await search('root@platform.test', `?limit=3&cursor=${second.body.nextCursor}`);
    expect(labels(last.body)).toEqual(['platformUser']);
    expect(last.body.nextCursor).toBeNull();
  });

  it('returns no cursor when the last page is full', async () => {
    const { body } = await search('root@platform.test', '?limit=7');
    expect(body.entries).toHaveLength(7);
    expect(body.nextCursor).toBeNull();
  });

  it('keeps the scope on later pages', async () => {
    const first = await search('manager@acme.test', '?limit=2');
    expect(labels(first.body)).toEqual(['siteA1Lookalike', 'siteA1Grant']);
    const second = await search('manager@acme.test', `?limit=2&cursor=${first.body.nextCursor}`);
    expect(labels(second.body)).toEqual(['siteA1Update']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('defaults to 100 entries per page', async () => {
    const { body } = await search('root@platform.test');
    expect(body.entries).toHaveLength(7);
    expect(body.nextCursor).toBeNull();
  });
});

describe('audit entry shape', () => {
  it('returns every column in API form', async () => {
    const { body } = await search('root@platform.test', `?targetType=site&action=site.update&siteId=${siteA1}`);
    expect(body.entries).toHaveLength(1);
    const entry = body.entries[0];
    expect(entry.id).toBe(ids.siteA1Update);
    expect(entry.at).toBe('2024-01-03T00:00:00.000Z');
    expect(entry.organizationId).toBe(organizationA);
    expect(entry.siteId).toBe(siteA1);
    expect(entry.actorType).toBe('user');
    expect(entry.after).toEqual({ name: 'A1' });
    expect(entry.before).toBeNull();
    expect(entry.requestId).toBeNull();
  });

  it('is documented in the OpenAPI document', async () => {
    const { status, body } = await call(fixture.app, tokens['root@platform.test']!, 'GET', '/api/openapi.json');
    expect(status).toBe(200);
    expect(body.paths['/api/audit'].get.parameters.map((parameter: { name: string }) => parameter.name)).toContain('cursor');
    expect(Object.keys(body.paths['/api/audit/export.csv'].get.responses['200'].content)).toEqual(['text/csv']);
  });
});
