import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let userId: string;

beforeAll(async () => {
  fixture = await createCloudFixture('live_permission_listeners');
  userId = await new Seed(fixture).user('listener@acme.test');
});

afterAll(async () => {
  await fixture?.close();
});

describe('PermissionCache for the live gateway', () => {
  it('caches in Redis for 5 minutes', async () => {
    await fixture.deps.permissions.get(userId);

    const ttlS = await fixture.redis.ttl(`${fixture.redisPrefix}permissions:${userId}`);
    expect(ttlS).toBeGreaterThan(290);
    expect(ttlS).toBeLessThanOrEqual(300);
  });

  it('tells listeners of announced changes', async () => {
    const heard: string[] = [];
    const remove = fixture.deps.permissions.onChange((changed) => heard.push(changed));

    await fixture.deps.permissions.invalidate(userId);
    const deadline = Date.now() + 2_000;
    while (heard.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    remove();
    await fixture.deps.permissions.invalidate(userId);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(heard).toEqual([userId]);
  });
});
