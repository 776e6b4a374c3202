import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EXPORT_ROWS } from '../../src/audit/audit-export';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';
import { parseCsv } from './parse-csv';
import { seedAuditEntries } from './seed-audit';

let fixture: CloudFixture;
const tokens: Record<string, string> = {};
let organizationA: string;
let organizationB: string;
let bulkOrganization: string;
let siteA1: string;

const HEADER = ['id', 'at', 'organizationId', 'siteId', 'actorType', 'actorId', 'action', 'targetType', 'targetId', 'before', 'after', 'ip', 'userAgent', 'requestId'];

async function exportCsv(user: string, query = ''): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fixture.app.request(`/api/audit/export.csv${query}`, { headers: { Authorization: `Bearer ${tokens[user]!}` } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Returns the values of column `name` in every data record. */
function column(text: string, name: string): string[] {
  const [header, ...records] = parseCsv(text);
  const index = header!.indexOf(name);
  return records.map((record) => record[index]!);
}

beforeAll(async () => {
  fixture = await createCloudFixture('audit_export');
  const seed = new Seed(fixture);
  organizationA = await seed.organization('Acme');
  organizationB = await seed.organization('Other');
  bulkOrganization = await seed.organization('Bulk');
  siteA1 = await seed.site(organizationA, 'A1');

  await seed.user('root@platform.test', { platformAdmin: true });
  const adminA = await seed.user('admin@acme.test');
  await seed.membership(adminA, organizationA, 'org_admin');
  const managerA1 = await seed.user('manager@acme.test');
  await seed.membership(managerA1, organizationA);
  await seed.siteAccess(managerA1, siteA1, 'site_manager');
  const operatorA1 = await seed.user('operator@acme.test');
  await seed.membership(operatorA1, organizationA);
  await seed.siteAccess(operatorA1, siteA1, 'operator');

  await seedAuditEntries(fixture, [
    { at: '2024-02-01T00:00:00Z', organizationId: null, actorType: 'system', actorId: 'cli', action: 'user.create', targetType: 'user', targetId: 'platform-user' },
    { at: '2024-02-02T00:00:00Z', organizationId: organizationA, actorId: '=cmd|calc', action: 'organization.update', targetType: 'organization', targetId: '+1' },
    { at: '2024-02-03T00:00:00Z', organizationId: organizationA, siteId: siteA1, actorId: '@SUM(A1)', action: 'site.update', targetType: 'site', targetId: '-1', after: { name: 'Plant "A", north' } },
    { at: '2024-02-04T00:00:00Z', organizationId: organizationA, siteId: siteA1, actorId: '\tlead', action: 'site_access.grant', targetType: 'user', targetId: 'line one\r\nline two' },
    { at: '2024-02-05T00:00:00Z', organizationId: organizationB, action: 'organization.update', targetType: 'organization', targetId: organizationB },
  ]);
  // One more than an export contains: MAX_EXPORT_ROWS of one action and a single newest one of another.
  await inTenantScope(fixture.db.owner, allOrganizations, async (tx) => {
    await tx`
      INSERT INTO audit_log (organization_id, actor_type, action, target_type, target_id)
      SELECT ${bulkOrganization}, 'system', 'bulk.old', 'thing', n::text FROM generate_series(1, ${MAX_EXPORT_ROWS}) AS n`;
    await tx`INSERT INTO audit_log (organization_id, actor_type, action, target_type, target_id) VALUES (${bulkOrganization}, 'system', 'bulk.new', 'thing', 'newest')`;
  });

  for (const email of ['root@platform.test', 'admin@acme.test', 'manager@acme.test', 'operator@acme.test']) {
    tokens[email] = await login(fixture.app, email);
  }
}, 120_000);

afterAll(async () => {
  await fixture?.close();
});

describe('audit CSV export', () => {
  it('sends a CSV attachment with a header row', async () => {
    const { status, headers, text } = await exportCsv('admin@acme.test');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(headers.get('content-disposition')).toBe('attachment; filename="audit-log.csv"');
    expect(headers.get('x-export-truncated')).toBeNull();
    expect(parseCsv(text)[0]).toEqual(HEADER);
  });

  it('exports an org admin their organization only, newest first', async () => {
    const { text } = await exportCsv('admin@acme.test');
    expect(column(text, 'action')).toEqual(['site_access.grant', 'site.update', 'organization.update']);
    expect(new Set(column(text, 'organizationId'))).toEqual(new Set([organizationA]));
  });

  it('exports a site manager their site only', async () => {
    const { text } = await exportCsv('manager@acme.test');
    expect(column(text, 'action')).toEqual(['site_access.grant', 'site.update']);
  });

  it('rejects an operator with 403', async () => {
    const { status } = await exportCsv('operator@acme.test');
    expect(status).toBe(403);
  });

  it('applies the filters', async () => {
    const { text } = await exportCsv('root@platform.test', `?action=site*&organizationId=${organizationA}&to=2024-02-04T00:00:00Z`);
    expect(column(text, 'action')).toEqual(['site.update']);
  });

  it('rejects invalid filters with 400', async () => {
    const { status, text } = await exportCsv('root@platform.test', '?from=yesterday');
    expect(status).toBe(400);
    expect(JSON.parse(text).error.parameter).toBe('from');
  });

  it('sends only the header row when nothing matches', async () => {
    const { text } = await exportCsv('root@platform.test', '?action=nothing.matches');
    expect(parseCsv(text)).toEqual([HEADER]);
  });

  it('quotes commas, quotes and line breaks', async () => {
    const { text } = await exportCsv('admin@acme.test');
    expect(column(text, 'after')[1]).toBe('{"name":"Plant \\"A\\", north"}');
    expect(column(text, 'targetId')[0]).toBe('line one\r\nline two');
  });

  it('prefixes formula starts with a single quote', async () => {
    const { text } = await exportCsv('admin@acme.test');
    expect(column(text, 'actorId')).toEqual(["'\tlead", "'@SUM(A1)", "'=cmd|calc"]);
    expect(column(text, 'targetId').slice(1)).toEqual(["'-1", "'+1"]);
  });

  it('leaves out entries of no organization except for platform admins', async () => {
    const admin = await exportCsv('admin@acme.test');
    expect(column(admin.text, 'action')).not.toContain('user.create');
    const root = await exportCsv('root@platform.test', '?actorId=cli');
    expect(column(root.text, 'action')).toEqual(['user.create']);
  });
});

describe('audit CSV export limit', () => {
  it(`cuts at ${MAX_EXPORT_ROWS} rows with a header`, async () => {
    const { headers, text } = await exportCsv('root@platform.test', `?organizationId=${bulkOrganization}`);
    expect(headers.get('x-export-truncated')).toBe('true');
    const targets = column(text, 'targetId');
    expect(targets).toHaveLength(MAX_EXPORT_ROWS);
    expect(targets[0]).toBe('newest');
    expect(targets.at(-1)).toBe('2');
  });

  it(`sends exactly ${MAX_EXPORT_ROWS} rows without the header`, async () => {
    const { headers, text } = await exportCsv('root@platform.test', `?organizationId=${bulkOrganization}&action=bulk.old`);
    expect(headers.get('x-export-truncated')).toBeNull();
    expect(column(text, 'targetId')).toHaveLength(MAX_EXPORT_ROWS);
  });
});
