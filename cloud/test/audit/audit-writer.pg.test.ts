import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_USER_AGENT_LENGTH, writeAudit, type AuditActor, type AuditEntry } from '../../src/audit/audit-log';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let nextTarget = 0;

beforeAll(async () => {
  fixture = await createCloudFixture('audit_writer');
});

afterAll(async () => {
  await fixture?.close();
});

const actor: AuditActor = { actorType: 'system', actorId: 'test', ip: null, userAgent: null, requestId: null };

interface StoredEntry {
  before: any;
  after: any;
  user_agent: string | null;
}

/** Writes one entry through the runtime role, as the API does, and reads it back as the owner. */
async function writeAndRead(entry: Partial<AuditEntry>, actorOverrides: Partial<AuditActor> = {}): Promise<StoredEntry> {
  nextTarget += 1;
  const targetId = `target-${nextTarget}`;
  await inTenantScope(fixture.sql, allOrganizations, (tx) =>
    writeAudit(tx, { ...actor, ...actorOverrides }, { action: 'test.write', targetType: 'test', targetId, organizationId: null, ...entry }),
  );
  const [row] = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx<StoredEntry[]>`
    SELECT before, after, user_agent FROM audit_log WHERE target_id = ${targetId}`);
  return row!;
}

describe('audit writer URL passwords', () => {
  it('redacts them at any depth', async () => {
    const stored = await writeAndRead({
      before: { url: 'mqtt://user:secretpw@192.0.2.1:1883' },
      after: { nested: { list: ['https://admin:hunter2@example.test/path?q=1'] } },
    });
    expect(stored.before.url).toBe('mqtt://user:[redacted]@192.0.2.1:1883');
    expect(stored.after.nested.list[0]).toBe('https://admin:[redacted]@example.test/path?q=1');
  });

  it('redacts a password without user name', async () => {
    const stored = await writeAndRead({ after: { url: 'redis://:secretpw@192.0.2.1:6379' } });
    expect(stored.after.url).toBe('redis://:[redacted]@192.0.2.1:6379');
  });

  it('leaves other strings unchanged', async () => {
    const after = {
      url: 'mqtt://user@192.0.2.1:1883',
      email: 'ana@acme.test',
      note: 'user:pass@host is not a URL with a scheme',
      count: 3,
      flag: true,
      none: null,
    };
    const stored = await writeAndRead({ after });
    expect(stored.after).toEqual(after);
  });

  it('redacts a top-level string state', async () => {
    const stored = await writeAndRead({ after: 'ws://user:secretpw@192.0.2.1/mqtt' });
    expect(stored.after).toBe('ws://user:[redacted]@192.0.2.1/mqtt');
  });
});

describe('audit writer user agent', () => {
  it('truncates a long value', async () => {
    const stored = await writeAndRead({}, { userAgent: 'A'.repeat(15_000) });
    expect(stored.user_agent).toBe('A'.repeat(MAX_USER_AGENT_LENGTH));
  });

  it('keeps a short value', async () => {
    const stored = await writeAndRead({}, { userAgent: 'Mozilla/5.0' });
    expect(stored.user_agent).toBe('Mozilla/5.0');
  });
});
