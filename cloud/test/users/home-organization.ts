import type { CloudFixture } from '../support/cloud-fixture';

/** Records the organization that invited a seeded user, as POST /api/users does for the users it creates. */
export async function setHomeOrganization(fixture: CloudFixture, userId: string, organizationId: string): Promise<void> {
  await fixture.db.owner`UPDATE users SET home_organization_id = ${organizationId} WHERE id = ${userId}`;
}
