import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';
import { setHomeOrganization } from './home-organization';

const PAIRS = 10;
let fixture: CloudFixture;
let seed: Seed;

beforeAll(async () => {
  fixture = await createCloudFixture('last_admin_races');
  seed = new Seed(fixture);
});

afterAll(async () => {
  await fixture?.close();
});

interface Admin {
  id: string;
  token: string;
}

/** Seeds a user, logs them in and returns their id and access token. */
async function seedAdmin(email: string, flags: { platformAdmin?: boolean } = {}): Promise<Admin> {
  const id = await seed.user(email, flags);
  return { id, token: await login(fixture.app, email) };
}

/** Sends both requests at once, each admin acting on the other, and returns the two statuses. */
async function eachOnTheOther(first: Admin, second: Admin, body: Record<string, unknown>): Promise<number[]> {
  const results = await Promise.all([
    call(fixture.app, first.token, 'PATCH', `/api/users/${second.id}`, body),
    call(fixture.app, second.token, 'PATCH', `/api/users/${first.id}`, body),
  ]);
  return results.map((result) => result.status);
}

async function activePlatformAdmins(): Promise<number> {
  const [row] = await fixture.db.owner<{ n: number }[]>`SELECT count(*)::int AS n FROM users WHERE platform_admin AND status = 'active'`;
  return row!.n;
}

describe('org admins disabling each other', () => {
  it('lets only one of each pair succeed', async () => {
    // Ten organizations at once, so that without the lock at least one pair would interleave.
    const pairs = await Promise.all(
      Array.from({ length: PAIRS }, async (_, index) => {
        const organizationId = await seed.organization(`Race ${index}`);
        const admins = [await seedAdmin(`first${index}@race.test`), await seedAdmin(`second${index}@race.test`)];
        for (const admin of admins) {
          await seed.membership(admin.id, organizationId, 'org_admin');
          await setHomeOrganization(fixture, admin.id, organizationId);
        }
        return { organizationId, admins };
      }),
    );

    const statuses = await Promise.all(pairs.map(({ admins }) => eachOnTheOther(admins[0]!, admins[1]!, { status: 'disabled' })));
    for (const pair of statuses) {
      expect(pair.filter((status) => status === 200)).toHaveLength(1);
      // The loser is rejected (409), or was already disabled when it authenticated (401), but never fails (500).
      expect([401, 409]).toContain(pair.find((status) => status !== 200));
    }
    const remaining = await inTenantScope(fixture.db.owner, allOrganizations, (tx) =>
      tx`SELECT DISTINCT m.organization_id FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = ANY(${tx.array(pairs.map((pair) => pair.organizationId), 2950)})
           AND m.role = 'org_admin' AND u.status = 'active'`);
    expect(remaining).toHaveLength(PAIRS);
  });
});

describe('platform admins acting on each other', () => {
  // One pair at a time, because the rule counts the platform admins of the whole service.
  async function raceRounds(label: string, body: Record<string, unknown>, loserStatuses: number[]): Promise<void> {
    for (let round = 0; round < PAIRS; round++) {
      await fixture.db.owner`UPDATE users SET status = 'disabled' WHERE platform_admin`;
      const first = await seedAdmin(`${label}-a${round}@race.test`, { platformAdmin: true });
      const second = await seedAdmin(`${label}-b${round}@race.test`, { platformAdmin: true });

      const statuses = await eachOnTheOther(first, second, body);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(loserStatuses).toContain(statuses.find((status) => status !== 200));
      expect(await activePlatformAdmins()).toBe(1);
    }
  }

  it('survives mutual disabling', async () => {
    // 401 when the loser authenticated after the winner disabled it.
    await raceRounds('disable', { status: 'disabled' }, [401, 409]);
  });

  it('survives mutual demotion', async () => {
    // 404 when the loser authenticated after the winner took its flag, so it can no longer see the winner.
    await raceRounds('demote', { platformAdmin: false }, [404, 409]);
  });

  it('survives mutual deletion', async () => {
    for (let round = 0; round < PAIRS; round++) {
      await fixture.db.owner`UPDATE users SET status = 'disabled' WHERE platform_admin`;
      const first = await seedAdmin(`delete-a${round}@race.test`, { platformAdmin: true });
      const second = await seedAdmin(`delete-b${round}@race.test`, { platformAdmin: true });

      const results = await Promise.all([
        call(fixture.app, first.token, 'DELETE', `/api/users/${second.id}`),
        call(fixture.app, second.token, 'DELETE', `/api/users/${first.id}`),
      ]);
      expect(results.filter((result) => result.status === 204)).toHaveLength(1);
      expect([401, 409]).toContain(results.find((result) => result.status !== 204)!.status);
      expect(await activePlatformAdmins()).toBe(1);
    }
  });
});
