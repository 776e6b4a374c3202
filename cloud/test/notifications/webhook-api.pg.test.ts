import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CloudApp } from '../../src/api/app';
import { webhookPayloadSchema } from '../../src/notifications/webhook-event';
import { verifyWebhookSignature, WEBHOOK_HEADERS } from '../../src/notifications/webhook-signature';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { auditCount, auditEntries, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

let fixture: CloudFixture;
let roles: SiteRoles;
/** The app as production runs it: public https URLs only. */
let app: CloudApp;
/** The app with WEBHOOK_ALLOW_PRIVATE=true, as tests and labs run it. */
let labApp: CloudApp;
let receiver: WebhookReceiver;

beforeAll(async () => {
  fixture = await createCloudFixture('webhook_api');
  app = createApp({ ...fixture.deps, webhooks: { allowPrivate: false, timeoutMs: 2_000 } });
  labApp = createApp({ ...fixture.deps, webhooks: { allowPrivate: true, timeoutMs: 2_000 } });
  roles = await seedSiteRoles(fixture);
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await fixture?.close();
});

const webhooksPath = (organizationId = roles.organizationId) => `/api/organizations/${organizationId}/webhooks`;

async function createWebhook(body: Record<string, unknown> = {}, target: CloudApp = app): Promise<{ id: string; secret: string }> {
  const response = await call(target, roles.tokens.org_admin, 'POST', webhooksPath(), { name: 'Pager', url: 'https://alerts.example.com/ems', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { id: response.body.webhook.id, secret: response.body.secret };
}

describe('webhook API', () => {
  it('org admin manages a webhook', async () => {
    const created = await call(app, roles.tokens.org_admin, 'POST', webhooksPath(), {
      name: 'On-call pager',
      url: 'https://alerts.example.com/ems',
      minSeverity: 'warning',
      escalationMinutes: 15,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const webhook = created.body.webhook;
    expect(webhook).toMatchObject({
      organizationId: roles.organizationId,
      name: 'On-call pager',
      enabled: true,
      events: ['alarm.raised', 'alarm.escalated'],
      minSeverity: 'warning',
      escalationMinutes: 15,
    });

    const listed = await call(app, roles.tokens.org_admin, 'GET', webhooksPath());
    expect(listed.status).toBe(200);
    expect(listed.body.webhooks.map((item: { id: string }) => item.id)).toContain(webhook.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    const read = await call(app, roles.tokens.org_admin, 'GET', `${webhooksPath()}/${webhook.id}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');

    const updated = await call(app, roles.tokens.org_admin, 'PATCH', `${webhooksPath()}/${webhook.id}`, { enabled: false, events: ['alarm.raised', 'alarm.cleared'] });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ enabled: false, events: ['alarm.raised', 'alarm.cleared'], escalationMinutes: 15 });

    const deleted = await call(app, roles.tokens.org_admin, 'DELETE', `${webhooksPath()}/${webhook.id}`);
    expect(deleted.status).toBe(204);
    expect((await call(app, roles.tokens.org_admin, 'GET', `${webhooksPath()}/${webhook.id}`)).status).toBe(404);

    const entries = await auditEntries(fixture, webhook.id);
    expect(entries.map((entry) => entry.action)).toEqual(['webhook.create', 'webhook.update', 'webhook.delete']);
    expect(entries[1]!.before.enabled).toBe(true);
    expect(entries[1]!.after.enabled).toBe(false);
    expect(JSON.stringify(entries)).not.toContain(created.body.secret);
  });

  it('secret rotation returns new secret', async () => {
    const { id, secret } = await createWebhook();
    const rotated = await call(app, roles.tokens.org_admin, 'POST', `${webhooksPath()}/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
    const entries = await auditEntries(fixture, id);
    expect(entries.map((entry) => entry.action)).toEqual(['webhook.create', 'webhook.secret_rotate']);
    expect(JSON.stringify(entries)).not.toContain(rotated.body.secret);
  });

  it('escalation event needs escalation minutes', async () => {
    const response = await call(app, roles.tokens.org_admin, 'POST', webhooksPath(), {
      name: 'Pager',
      url: 'https://alerts.example.com/ems',
      events: ['alarm.escalated'],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.parameter).toBe('escalationMinutes');
  });

  const rejectedUrls = [
    { url: 'http://alerts.example.com/ems', reason: 'plain http' },
    { url: 'https://127.0.0.1/ems', reason: 'loopback address' },
    { url: 'https://10.20.30.40/ems', reason: 'private address' },
    { url: 'https://169.254.169.254/latest/meta-data', reason: 'link-local metadata address' },
    { url: 'https://[::1]:8443/ems', reason: 'IPv6 loopback' },
    { url: 'https://[fd12:3456::1]/ems', reason: 'IPv6 unique local address' },
    { url: 'https://localhost/ems', reason: 'localhost' },
    { url: 'https://nas.local/ems', reason: 'mDNS name' },
    { url: 'https://intranet/ems', reason: 'single-label name' },
  ];
  for (const { url, reason } of rejectedUrls) {
    it(`URL with ${reason} is rejected by default`, async () => {
      const response = await call(app, roles.tokens.org_admin, 'POST', webhooksPath(), { name: 'Pager', url });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_webhook_url');
      expect(response.body.error.parameter).toBe('url');
      expect(response.body.error.message).toContain('WEBHOOK_ALLOW_PRIVATE=true');
    });
  }

  for (const url of ['ftp://alerts.example.com/ems', 'not a url']) {
    it(`URL "${url}" is rejected even for labs`, async () => {
      const response = await call(labApp, roles.tokens.org_admin, 'POST', webhooksPath(), { name: 'Pager', url });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_webhook_url');
    });
  }

  it('public https URLs are accepted', async () => {
    for (const url of ['https://alerts.example.com/ems', 'https://8.8.8.8/hook', 'https://[2606:4700::1111]/hook']) {
      const response = await call(app, roles.tokens.org_admin, 'POST', webhooksPath(), { name: 'Pager', url });
      expect(response.status, url).toBe(201);
    }
  });

  it('private URL allowed only in labs', async () => {
    const { id } = await createWebhook({ url: receiver.url }, labApp);
    const changed = await call(app, roles.tokens.org_admin, 'PATCH', `${webhooksPath()}/${id}`, { url: 'http://192.168.1.20/hook' });
    expect(changed.status).toBe(400);
    expect(changed.body.error.code).toBe('invalid_webhook_url');
  });

  it('test event is signed and recorded', async () => {
    const { id, secret } = await createWebhook({ url: receiver.url }, labApp);
    receiver.requests.length = 0;
    receiver.respond([]);

    const sent = await call(labApp, roles.tokens.org_admin, 'POST', `${webhooksPath()}/${id}/test`);

    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ event: 'webhook.test', status: 'delivered', attempts: 1, lastStatus: 204, nextAttemptAt: null });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.headers[WEBHOOK_HEADERS.delivery.toLowerCase()]).toBe(sent.body.id);
    const problem = verifyWebhookSignature({
      secret,
      body: request!.body,
      timestamp: String(request!.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()]),
      signature: String(request!.headers[WEBHOOK_HEADERS.signature.toLowerCase()]),
      nowS: Math.floor(Date.now() / 1000),
    });
    expect(problem).toBeNull();
    expect(webhookPayloadSchema.parse(JSON.parse(request!.body)).type).toBe('webhook.test');

    const listed = await call(labApp, roles.tokens.org_admin, 'GET', `${webhooksPath()}/${id}/deliveries`);
    expect(listed.status).toBe(200);
    expect(listed.body.deliveries.map((delivery: { id: string }) => delivery.id)).toEqual([sent.body.id]);
    expect((await auditEntries(fixture, id)).map((entry) => entry.action)).toEqual(['webhook.create', 'webhook.test']);
  });

  it('failed test event is not retried', async () => {
    const { id } = await createWebhook({ url: receiver.url }, labApp);
    receiver.respond([500]);

    const sent = await call(labApp, roles.tokens.org_admin, 'POST', `${webhooksPath()}/${id}/test`);

    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'failed', attempts: 1, lastStatus: 500, nextAttemptAt: null });
    expect(sent.body.lastError).toContain('receiver responded 500');
    const failed = await call(labApp, roles.tokens.org_admin, 'GET', `${webhooksPath()}/${id}/deliveries?status=failed`);
    expect(failed.body.deliveries).toHaveLength(1);
    const delivered = await call(labApp, roles.tokens.org_admin, 'GET', `${webhooksPath()}/${id}/deliveries?status=delivered`);
    expect(delivered.body.deliveries).toHaveLength(0);
  });

  it('admin of another organization gets 404', async () => {
    const { id } = await createWebhook();
    const outsider = roles.outsiderToken;
    expect((await call(app, outsider, 'GET', webhooksPath())).status).toBe(404);
    expect((await call(app, outsider, 'POST', webhooksPath(), { name: 'Mine', url: 'https://evil.example.com/' })).status).toBe(404);
    for (const [method, suffix] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['POST', '/test'],
      ['GET', '/deliveries'],
    ] as const) {
      const response = await call(app, outsider, method, `${webhooksPath()}/${id}${suffix}`, method === 'PATCH' ? { enabled: false } : undefined);
      expect(response.status, `${method} ${suffix}`).toBe(404);
    }

    const otherOrganization = await call(app, outsider, 'GET', '/api/organizations');
    const otherId = otherOrganization.body.organizations[0].id as string;
    expect(otherId).not.toBe(roles.organizationId);
    expect((await call(app, outsider, 'GET', webhooksPath(otherId))).body).toEqual({ webhooks: [] });
    expect((await call(app, outsider, 'GET', `${webhooksPath(otherId)}/${id}`)).status).toBe(404);
    expect((await call(app, roles.tokens.platform_admin, 'GET', `${webhooksPath()}/${id}`)).status).toBe(200);
  });

  it('site roles cannot manage webhooks', async () => {
    const { id } = await createWebhook();
    const before = await auditCount(fixture);
    for (const role of ['site_manager', 'operator', 'viewer', 'member'] as const) {
      const token = roles.tokens[role];
      expect((await call(app, token, 'GET', webhooksPath())).status, role).toBe(403);
      expect((await call(app, token, 'POST', webhooksPath(), { name: 'Mine', url: 'https://alerts.example.com/' })).status, role).toBe(403);
      expect((await call(app, token, 'PATCH', `${webhooksPath()}/${id}`, { enabled: false })).status, role).toBe(403);
      expect((await call(app, token, 'DELETE', `${webhooksPath()}/${id}`)).status, role).toBe(403);
      expect((await call(app, token, 'POST', `${webhooksPath()}/${id}/test`)).status, role).toBe(403);
      expect((await call(app, token, 'GET', `${webhooksPath()}/${id}/deliveries`)).status, role).toBe(403);
    }
    expect(await auditCount(fixture)).toBe(before);
    const read = await call(app, roles.tokens.org_admin, 'GET', `${webhooksPath()}/${id}`);
    expect(read.body.enabled).toBe(true);
  });
});
