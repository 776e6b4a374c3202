import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, auditEntries, roles, seedSiteRoles, type Role, type SiteRoles } from '../support/site-roles';
import { addMeter } from './alarm-fixture';

let fixture: CloudFixture;
let ctx: SiteRoles;

beforeAll(async () => {
  fixture = await createCloudFixture('alarm_rules');
  ctx = await seedSiteRoles(fixture);
  await addMeter(fixture, ctx.tokens.site_manager, ctx.siteId);
  await addMeter(fixture, ctx.tokens.org_admin, ctx.otherSiteId, 'other-meter');
});

afterAll(async () => {
  await fixture?.close();
});

const highRule = (name = 'Power high') => ({ name, severity: 'warning', point: 'meter.W', condition: { type: 'high', limit: 80, deadband: 2 } });
const rulesPath = () => `/api/sites/${ctx.siteId}/alarm-rules`;

async function createRule(token: string, body: unknown = highRule()) {
  return call(fixture.app, token, 'POST', rulesPath(), body);
}

describe('alarm rule CRUD', () => {
  it('creates, lists, changes and deletes a rule', async () => {
    const created = await createRule(ctx.tokens.site_manager);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      siteId: ctx.siteId,
      name: 'Power high',
      severity: 'warning',
      enabled: true,
      point: 'meter.W',
      condition: { type: 'high', limit: 80, deadband: 2, onDelayS: 0, offDelayS: 0 },
    });
    const ruleId: string = created.body.id;

    const listed = await call(fixture.app, ctx.tokens.site_manager, 'GET', rulesPath());
    expect(listed.status).toBe(200);
    expect(listed.body.rules.map((rule: { id: string }) => rule.id)).toContain(ruleId);

    const patched = await call(fixture.app, ctx.tokens.site_manager, 'PATCH', `${rulesPath()}/${ruleId}`, { enabled: false, condition: { type: 'stale', afterS: 300 } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ enabled: false, name: 'Power high', point: 'meter.W', condition: { type: 'stale', afterS: 300 } });

    const deleted = await call(fixture.app, ctx.tokens.site_manager, 'DELETE', `${rulesPath()}/${ruleId}`);
    expect(deleted.status).toBe(204);
    expect((await call(fixture.app, ctx.tokens.site_manager, 'DELETE', `${rulesPath()}/${ruleId}`)).status).toBe(404);

    const audit = await auditEntries(fixture, ruleId);
    expect(audit.map((entry) => entry.action)).toEqual(['alarm_rule.create', 'alarm_rule.update', 'alarm_rule.delete']);
    expect(audit[1]!.before).toMatchObject({ enabled: true, condition: { type: 'high' } });
    expect(audit[1]!.after).toMatchObject({ enabled: false, condition: { type: 'stale' } });
    expect(audit.every((entry) => entry.site_id === ctx.siteId)).toBe(true);
  });

  it('syncs a new rule to the edge through the change log', async () => {
    const created = await createRule(ctx.tokens.site_manager, highRule('Synced rule'));
    const logged = await asOwner(fixture, (tx) => tx<{ operation: string; value: { point_id: string; name: string } }[]>`
      SELECT operation, value FROM change_log WHERE shape = 'alarm_rules' AND row_key = ${created.body.id}`);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.operation).toBe('insert');
    expect(logged[0]!.value).toMatchObject({ name: 'Synced rule', point_id: created.body.pointId });
  });

  it('accepts a device_offline rule without a point', async () => {
    const created = await createRule(ctx.tokens.site_manager, { name: 'Meter offline', severity: 'critical', point: null, condition: { type: 'device_offline', device: 'meter' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ point: null, pointId: null });
  });

  it('renames the hub alarm with its rule', async () => {
    const created = await createRule(ctx.tokens.site_manager, highRule('Old name'));
    await asOwner(fixture, (tx) => tx`
      INSERT INTO alarms (organization_id, site_id, rule_id, name, severity, state, condition_active, message, last_seq)
      VALUES (${ctx.organizationId}, ${ctx.siteId}, ${created.body.id}, 'Old name', 'warning', 'normal', false, '', 1)`);
    await call(fixture.app, ctx.tokens.site_manager, 'PATCH', `${rulesPath()}/${created.body.id}`, { name: 'New name' });
    const [alarm] = await asOwner(fixture, (tx) => tx<{ name: string }[]>`SELECT name FROM alarms WHERE rule_id = ${created.body.id}`);
    expect(alarm!.name).toBe('New name');
  });
});

describe('alarm rule validation', () => {
  const cases: { name: string; body: unknown; parameter: string; message: RegExp }[] = [
    { name: 'a limit that is not a number', body: { ...highRule(), condition: { type: 'high', limit: 'eighty' } }, parameter: 'condition.limit', message: /number/ },
    { name: 'an unknown condition type', body: { ...highRule(), condition: { type: 'sometimes' } }, parameter: 'condition.type', message: /./ },
    { name: 'a negative deadband', body: { ...highRule(), condition: { type: 'low', limit: 1, deadband: -1 } }, parameter: 'condition.deadband', message: /./ },
    { name: 'an unknown severity', body: { ...highRule(), severity: 'fatal' }, parameter: 'severity', message: /./ },
    { name: 'a point not written device.point', body: { ...highRule(), point: 'W' }, parameter: 'point', message: /device\.point/ },
    { name: 'a point of another site', body: { ...highRule(), point: 'other-meter.W' }, parameter: 'point', message: /not found at site/ },
    { name: 'a point the device lacks', body: { ...highRule(), point: 'meter.VA' }, parameter: 'point', message: /"meter\.VA" not found/ },
    { name: 'no point for a limit rule', body: { ...highRule(), point: null }, parameter: 'point', message: /device_offline/ },
    {
      name: 'an unknown offline device',
      body: { name: 'x', severity: 'info', point: null, condition: { type: 'device_offline', device: 'pump' } },
      parameter: 'condition.device',
      message: /device "pump" not found/,
    },
    {
      name: 'an offline device other than the point device',
      body: { name: 'x', severity: 'info', point: 'meter.W', condition: { type: 'device_offline', device: 'other-meter' } },
      parameter: 'condition.device',
      message: /not the device of point/,
    },
    { name: 'an empty name', body: { ...highRule(), name: ' ' }, parameter: 'name', message: /./ },
    {
      name: 'a stale time shorter than two polls',
      body: { ...highRule(), condition: { type: 'stale', afterS: 5 } },
      parameter: 'condition.afterS',
      message: /less than two poll intervals of device "meter" \(5 s\).*use at least 10/,
    },
    {
      name: 'a rate window shorter than two polls',
      body: { ...highRule(), condition: { type: 'rate_of_change', maxChangePerMinute: 10, windowS: 9 } },
      parameter: 'condition.windowS',
      message: /rarely contains two samples/,
    },
  ];

  it.each(cases)('rejects $name', async ({ body, parameter, message }) => {
    const response = await createRule(ctx.tokens.site_manager, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.parameter).toBe(parameter);
    expect(response.body.error.message).toMatch(message);
  });

  it('checks a patched rule as a whole', async () => {
    const created = await createRule(ctx.tokens.site_manager);
    const response = await call(fixture.app, ctx.tokens.site_manager, 'PATCH', `${rulesPath()}/${created.body.id}`, { point: null });
    expect(response.status).toBe(400);
    expect(response.body.error.parameter).toBe('point');
  });
});

describe('alarm rule access', () => {
  /** Site managers and above manage rules; the member without site access and outsiders do not see the site. */
  const expected: Record<Role, 'allowed' | 403 | 404> = {
    viewer: 403,
    operator: 403,
    site_manager: 'allowed',
    org_admin: 'allowed',
    platform_admin: 'allowed',
    member: 404,
  };

  it.each(roles)('gives %s the expected answer on every rule route', async (role) => {
    const token = ctx.tokens[role];
    const existing = await createRule(ctx.tokens.site_manager, highRule(`Rule for ${role}`));
    const ruleId: string = existing.body.id;
    const responses = [
      await call(fixture.app, token, 'GET', rulesPath()),
      await createRule(token, highRule(`Created by ${role}`)),
      await call(fixture.app, token, 'PATCH', `${rulesPath()}/${ruleId}`, { severity: 'critical' }),
      await call(fixture.app, token, 'DELETE', `${rulesPath()}/${ruleId}`),
    ];
    const outcome = expected[role];
    if (outcome === 'allowed') {
      expect(responses.map((response) => response.status)).toEqual([200, 201, 200, 204]);
    } else {
      expect(responses.map((response) => response.status)).toEqual([outcome, outcome, outcome, outcome]);
    }
  });

  it('hides the site from an org admin of another organization', async () => {
    const existing = await createRule(ctx.tokens.site_manager, highRule('Foreign probe'));
    expect((await call(fixture.app, ctx.outsiderToken, 'GET', rulesPath())).status).toBe(404);
    expect((await createRule(ctx.outsiderToken)).status).toBe(404);
    expect((await call(fixture.app, ctx.outsiderToken, 'PATCH', `${rulesPath()}/${existing.body.id}`, { enabled: false })).status).toBe(404);
    expect((await call(fixture.app, ctx.outsiderToken, 'DELETE', `${rulesPath()}/${existing.body.id}`)).status).toBe(404);
  });

  it('does not find a rule under another site', async () => {
    const existing = await createRule(ctx.tokens.site_manager, highRule('Wrong site'));
    const response = await call(fixture.app, ctx.tokens.org_admin, 'PATCH', `/api/sites/${ctx.otherSiteId}/alarm-rules/${existing.body.id}`, { enabled: false });
    expect(response.status).toBe(404);
  });
});
