import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantScope } from '../../src/db/scope';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';
import { asOwner } from '../support/site-roles';

const tables = ['alarms', 'alarm_transitions', 'alarm_action_requests'] as const;

let fixture: CloudFixture;
let organizationA: string;
let organizationB: string;
let siteB: string;

beforeAll(async () => {
  fixture = await createCloudFixture('alarm_tables');
  const seed = new Seed(fixture);
  organizationA = await seed.organization('A');
  organizationB = await seed.organization('B');
  for (const organizationId of [organizationA, organizationB]) {
    const siteId = await seed.site(organizationId);
    siteB = siteId;
    await asOwner(fixture, async (tx) => {
      await tx`
        INSERT INTO alarms (organization_id, site_id, rule_id, name, severity, state, condition_active, message, last_seq)
        VALUES (${organizationId}, ${siteId}, 'rule-1', 'Rule 1', 'info', 'normal', false, '', 1)`;
      await tx`
        INSERT INTO alarm_transitions (id, organization_id, site_id, rule_id, seq, action, from_state, to_state, at, severity, message)
        VALUES (${randomUUID()}, ${organizationId}, ${siteId}, 'rule-1', 1, 'raise', 'normal', 'active_unack', now(), 'info', '')`;
      await tx`
        INSERT INTO alarm_action_requests (id, organization_id, site_id, rule_id, action, body, "user")
        VALUES (${randomUUID()}, ${organizationId}, ${siteId}, 'rule-1', 'comment', '{}', '{}')`;
    });
  }
});

afterAll(async () => {
  await fixture?.close();
});

describe('alarm tables', () => {
  it.each(tables)('shows the runtime role only its scope in %s', async (table) => {
    const rows = await inTenantScope(fixture.sql, { all: false, organizationIds: [organizationA] }, (tx) =>
      tx<{ organization_id: string }[]>`SELECT organization_id FROM ${tx(table)}`,
    );
    expect(rows.map((row) => row.organization_id)).toEqual([organizationA]);
  });

  it('rejects a new transition of another organization', async () => {
    const write = inTenantScope(fixture.sql, { all: false, organizationIds: [organizationA] }, (tx) =>
      tx`
        INSERT INTO alarm_transitions (id, organization_id, site_id, rule_id, seq, action, from_state, to_state, at, severity, message)
        VALUES (${randomUUID()}, ${organizationB}, ${siteB}, 'rule-1', 2, 'clear', 'active_unack', 'cleared_unack', now(), 'info', '')`,
    );
    await expect(write).rejects.toThrow(/row-level security/);
  });

  it.each(['alarms', 'alarm_action_requests'])('rejects a row of another organization in %s', async (table) => {
    const write = inTenantScope(fixture.sql, { all: false, organizationIds: [organizationA] }, (tx) =>
      tx`UPDATE ${tx(table)} SET organization_id = ${organizationB} WHERE organization_id = ${organizationA}`,
    );
    await expect(write).rejects.toThrow(/row-level security/);
  });

  it('indexes the history filters', async () => {
    const indexes = await fixture.db.owner<{ indexname: string }[]>`
      SELECT indexname FROM pg_indexes WHERE tablename = 'alarm_transitions' ORDER BY indexname`;
    expect(indexes.map((index) => index.indexname)).toEqual(
      expect.arrayContaining(['alarm_transitions_site_at', 'alarm_transitions_organization_at', 'alarm_transitions_severity_state']),
    );
  });

  it('rejects an unknown alarm state', async () => {
    const insert = asOwner(fixture, (tx) => tx`
      INSERT INTO alarms (organization_id, site_id, rule_id, name, severity, state, condition_active, message, last_seq)
      SELECT organization_id, id, 'rule-x', 'x', 'info', 'ringing', false, '', 1 FROM sites LIMIT 1`);
    await expect(insert).rejects.toThrow(/alarms_state_check/);
  });
});
