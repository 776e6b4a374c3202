import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, login, REDIS_URL, Seed, type CloudFixture } from '../support/cloud-fixture';

// Every change to a user's memberships, site access, status or flags must publish
// `user:<id>:permission_changed` once its transaction has committed. This test listens on Redis
// as another instance would and makes each kind of change over HTTP.

let fixture: CloudFixture;
let listener: Redis;
let organizationId: string;
let siteId: string;
let rootToken: string;
let userId: string;
const received: string[] = [];

beforeAll(async () => {
  fixture = await createCloudFixture('permission-events');
  const seed = new Seed(fixture);
  organizationId = await seed.organization('Acme');
  siteId = await seed.site(organizationId, 'Plant');
  await seed.user('root@platform.test', { platformAdmin: true });
  // A second org admin, so the subject can leave after being promoted: the last one may not.
  await seed.membership(await seed.user('admin@acme.test'), organizationId, 'org_admin');
  userId = await seed.user('subject@acme.test');
  rootToken = await login(fixture.app, 'root@platform.test');

  listener = new Redis(REDIS_URL);
  listener.on('pmessage', (_pattern: string, channel: string) => received.push(channel));
  await listener.psubscribe(`${fixture.redisPrefix}user:*:permission_changed`);
});

afterAll(async () => {
  listener?.disconnect();
  await fixture?.close();
});

/** Makes a change and waits for the event of `userId`, failing after two seconds without one. */
async function expectEvent(change: () => Promise<{ status: number }>, expectedStatus: number): Promise<void> {
  received.length = 0;
  const { status } = await change();
  expect(status).toBe(expectedStatus);
  const channel = `${fixture.redisPrefix}user:${userId}:permission_changed`;
  const deadline = Date.now() + 2_000;
  while (!received.includes(channel) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(received).toContain(channel);
}

describe('permission change events', () => {
  it('follow adding a membership', async () => {
    await expectEvent(() => call(fixture.app, rootToken, 'POST', `/api/organizations/${organizationId}/members`, { email: 'subject@acme.test', role: 'member' }), 201);
  });

  it('follow granting site access', async () => {
    await expectEvent(() => call(fixture.app, rootToken, 'PUT', `/api/sites/${siteId}/access/${userId}`, { role: 'viewer' }), 200);
  });

  it('follow changing a site access role', async () => {
    await expectEvent(() => call(fixture.app, rootToken, 'PUT', `/api/sites/${siteId}/access/${userId}`, { role: 'operator' }), 200);
  });

  it('follow revoking site access', async () => {
    await expectEvent(() => call(fixture.app, rootToken, 'DELETE', `/api/sites/${siteId}/access/${userId}`), 204);
  });

  it('follow changing a membership role', async () => {
    await expectEvent(() => call(fixture.app, rootToken, 'PATCH', `/api/organizations/${organizationId}/members/${userId}`, { role: 'org_admin' }), 200);
  });

  it('follow disabling and enabling the user', async () => {
    await expectEvent(() => call(fixture.app, rootToken, 'PATCH', `/api/users/${userId}`, { status: 'disabled' }), 200);
    await expectEvent(() => call(fixture.app, rootToken, 'PATCH', `/api/users/${userId}`, { status: 'active' }), 200);
  });

  it('follow setting the developer flag', async () => {
    await expectEvent(() => call(fixture.app, rootToken, 'PATCH', `/api/users/${userId}`, { developer: true }), 200);
  });

  it('follow setting the platform admin flag', async () => {
    await expectEvent(() => call(fixture.app, rootToken, 'PATCH', `/api/users/${userId}`, { platformAdmin: true }), 200);
  });

  it('follow removing the membership', async () => {
    await expectEvent(() => call(fixture.app, rootToken, 'DELETE', `/api/organizations/${organizationId}/members/${userId}`), 204);
  });

  it('raise the permissions version with each change', async () => {
    const [row] = await fixture.sql<{ permissions_version: number }[]>`SELECT permissions_version FROM users WHERE id = ${userId}`;
    expect(row!.permissions_version).toBe(11);
  });
});
