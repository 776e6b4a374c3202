import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

// Each export keeps a pooled connection until its client has read it, so only two may run at once.
// The bodies here are never read: 5,000 rows make far more CSV than the stream buffers, so each
// export stays open until its body is cancelled.

let fixture: CloudFixture;
let token: string;

beforeAll(async () => {
  fixture = await createCloudFixture('export-limit');
  const seed = new Seed(fixture);
  const organizationId = await seed.organization('Bulk');
  await seed.user('root@platform.test', { platformAdmin: true });
  await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`
    INSERT INTO audit_log (organization_id, actor_type, action, target_type, target_id, after)
    SELECT ${organizationId}, 'system', 'bulk.row', 'thing', n::text, jsonb_build_object('padding', repeat('x', 200))
    FROM generate_series(1, 5000) AS n`);
  token = await login(fixture.app, 'root@platform.test');
});

afterAll(async () => {
  await fixture?.close();
});

function startExport(): Promise<Response> {
  return Promise.resolve(fixture.app.request('/api/audit/export.csv', { headers: { Authorization: `Bearer ${token}` } }));
}

describe('audit export limit', () => {
  it('answers 429 while two exports are open', async () => {
    const first = await startExport();
    const second = await startExport();
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);

    const third = await startExport();
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('10');
    const body = (await third.json()) as { error: { code: string } };
    expect(body.error.code).toBe('exports_busy');

    await first.body!.cancel();
    await second.body!.cancel();
    // Cancelling wakes each producer, which then ends its transaction and frees its slot.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const fourth = await startExport();
    expect(fourth.status).toBe(200);
    const text = await fourth.text();
    expect(text.split('\r\n').filter((line) => line.includes('bulk.row'))).toHaveLength(5000);
  });
});
