import { randomBytes } from 'node:crypto';
import type { PermissionCache } from '../access/permission-cache';
import type { SiteRef } from '../access/guards';
import { runAuditedChange, type Change } from '../api/change';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { CLI_ACTOR } from '../cli/platform-admin';
import type { Sql } from '../db/connect';
import { allOrganizations } from '../db/scope';
import { deviceAuditState } from '../devices/device-rows';
import { insertDevice } from '../devices/device-store';
import { replacePoints } from '../devices/point-store';
import { issuePairingCode } from '../edge-pairing/pairing-code';
import { EDGE_NODE_COLUMNS, edgeNodeAuditState, type EdgeNodeRow } from '../edge-nodes/edge-node-rows';
import type { Logger } from '../logger';
import { endUserSessions } from '../users/user-sessions';
import { ensureDeviceRoles, ensureEnergySettings } from './demo-energy';
import { DEMO_ORGANIZATION_NAME, DEMO_SITES, type DemoSite } from './demo-sites';
import { DEMO_USERS, type DemoUser } from './demo-users';
import type { DemoLogin } from './logins-file';

/*
 * Creates what the demo needs on the hub in one audited transaction with the actor "system" / "cli".
 * That is the organization "Demo Energy", its two sites with their devices and energy settings, one user
 * per role, and a pairing code for each site without a paired edge. Running it again changes only what
 * is missing, so the logins printed by an earlier run keep working.
 */

export interface SeedDemoDeps {
  sql: Sql;
  permissions: Pick<PermissionCache, 'invalidate'>;
  logger: Logger;
}

/** The outcome for one demo site. */
export interface SeededSite {
  key: DemoSite['key'];
  id: string;
  name: string;
  /** New pairing code, or null when an edge of the site is already paired. */
  pairingCode: string | null;
}

export interface SeedDemoResult {
  organizationId: string;
  sites: SeededSite[];
  logins: DemoLogin[];
  /** Phrases for the CLI's output, one for each thing this run created or changed. */
  changes: string[];
}

/** Name of the edge node that a demo site's pairing code belongs to. */
const DEMO_EDGE_NAME = 'Demo edge';

/** Returns a random password of 24 URL-safe characters, within the hub's 12 to 256 character rule. */
function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

async function ensureOrganization({ tx, audit }: Change, changes: string[]): Promise<string> {
  const [existing] = await tx<{ id: string }[]>`
    SELECT id FROM organizations WHERE name = ${DEMO_ORGANIZATION_NAME} ORDER BY created_at, id LIMIT 1`;
  if (existing) return existing.id;
  const [created] = await tx<{ id: string }[]>`INSERT INTO organizations (name) VALUES (${DEMO_ORGANIZATION_NAME}) RETURNING id`;
  await audit({ action: 'organization.create', targetType: 'organization', targetId: created!.id, organizationId: created!.id, after: { name: DEMO_ORGANIZATION_NAME } });
  changes.push(`created organization "${DEMO_ORGANIZATION_NAME}"`);
  return created!.id;
}

/** Finds the site by name in the organization, or creates it with operator control on and the site file's devices. */
async function ensureSite({ tx, audit }: Change, organizationId: string, demo: DemoSite, changes: string[]): Promise<SiteRef> {
  const [existing] = await tx<{ id: string; operator_control: boolean }[]>`
    SELECT id, operator_control FROM sites WHERE organization_id = ${organizationId} AND name = ${demo.name} ORDER BY created_at, id LIMIT 1`;
  if (existing) return { id: existing.id, organizationId, operatorControl: existing.operator_control, role: 'platform_admin' };

  const [created] = await tx<{ id: string }[]>`
    INSERT INTO sites (organization_id, name, time_zone, operator_control)
    VALUES (${organizationId}, ${demo.name}, ${demo.timeZone}, true)
    RETURNING id`;
  const site: SiteRef = { id: created!.id, organizationId, operatorControl: true, role: 'platform_admin' };
  await audit({
    action: 'site.create',
    targetType: 'site',
    targetId: site.id,
    organizationId,
    siteId: site.id,
    after: { name: demo.name, timeZone: demo.timeZone, latitude: null, longitude: null, address: null, operatorControl: true },
  });
  changes.push(`created site "${demo.name}"`);
  return site;
}

/** Creates the site file's devices that the site lacks; devices already there keep their settings. */
async function ensureDevices({ tx, audit }: Change, site: SiteRef, demo: DemoSite, changes: string[]): Promise<void> {
  const rows = await tx<{ key: string }[]>`SELECT key FROM devices WHERE site_id = ${site.id} AND organization_id = ${site.organizationId}`;
  const existing = new Set(rows.map((row) => row.key));
  for (const device of demo.devices) {
    if (existing.has(device.key)) continue;
    const created = await insertDevice(tx, site, null, device);
    await replacePoints(tx, created, device.points);
    await audit({ action: 'device.create', targetType: 'device', targetId: created.id, organizationId: site.organizationId, siteId: site.id, after: deviceAuditState(created, device) });
    changes.push(`created device ${device.key} at "${demo.name}"`);
  }
}

/**
 * Issues a pairing code unless an edge of the site is paired and not revoked. An unpaired demo edge
 * node gets a new code (the old one stops matching); without one, a node is created.
 */
async function ensurePairingCode({ tx, audit }: Change, site: SiteRef, demo: DemoSite, changes: string[]): Promise<string | null> {
  const nodes = await tx<EdgeNodeRow[]>`
    SELECT ${tx(EDGE_NODE_COLUMNS)} FROM edge_nodes
    WHERE site_id = ${site.id} AND organization_id = ${site.organizationId}
    ORDER BY created_at, id
    FOR UPDATE`;
  if (nodes.some((node) => node.paired_at !== null && node.revoked_at === null)) return null;

  const code = issuePairingCode();
  const unpaired = nodes.find((node) => node.name === DEMO_EDGE_NAME && node.paired_at === null && node.revoked_at === null);
  if (unpaired) {
    const [after] = await tx<EdgeNodeRow[]>`
      UPDATE edge_nodes SET pairing_code_hash = ${code.hash}, pairing_code_expires_at = ${code.expiresAt}, updated_at = now()
      WHERE id = ${unpaired.id}
      RETURNING ${tx(EDGE_NODE_COLUMNS)}`;
    await audit({
      action: 'edge_node.pairing_code_issue',
      targetType: 'edge_node',
      targetId: unpaired.id,
      organizationId: site.organizationId,
      siteId: site.id,
      before: edgeNodeAuditState(unpaired),
      after: edgeNodeAuditState(after!),
    });
  } else {
    const [created] = await tx<EdgeNodeRow[]>`
      INSERT INTO edge_nodes (organization_id, site_id, name, pairing_code_hash, pairing_code_expires_at)
      VALUES (${site.organizationId}, ${site.id}, ${DEMO_EDGE_NAME}, ${code.hash}, ${code.expiresAt})
      RETURNING ${tx(EDGE_NODE_COLUMNS)}`;
    await audit({ action: 'edge_node.create', targetType: 'edge_node', targetId: created!.id, organizationId: site.organizationId, siteId: site.id, after: edgeNodeAuditState(created!) });
  }
  changes.push(`issued a pairing code for "${demo.name}"`);
  return code.formatted;
}

type UserRow = { id: string; password_hash: string | null; status: 'active' | 'disabled'; platform_admin: boolean; developer: boolean };

/**
 * Creates the user, or brings an existing one to the demo's state: active, the role's global flags and
 * the password `password`. A changed password ends the user's sessions, as a password reset does.
 */
async function ensureUser(change: Change, user: DemoUser, password: string, changes: string[]): Promise<string> {
  const { tx, audit, permissionsChanged } = change;
  const [existing] = await tx<UserRow[]>`
    SELECT id, password_hash, status, platform_admin, developer FROM users WHERE lower(email) = lower(${user.email}) FOR UPDATE`;
  if (!existing) {
    const [created] = await tx<{ id: string }[]>`
      INSERT INTO users (email, name, password_hash, status, platform_admin, developer)
      VALUES (${user.email}, ${user.name}, ${await hashPassword(password)}, 'active', ${user.platformAdmin}, ${user.developer})
      RETURNING id`;
    await audit({
      action: 'user.create',
      targetType: 'user',
      targetId: created!.id,
      organizationId: null,
      after: { email: user.email, name: user.name, status: 'active', platformAdmin: user.platformAdmin, developer: user.developer, passwordSetup: 'password_set' },
    });
    changes.push(`created user ${user.email}`);
    return created!.id;
  }

  const passwordMatches = await verifyPassword(existing.password_hash, password);
  const flagsMatch = existing.status === 'active' && existing.platform_admin === user.platformAdmin && existing.developer === user.developer;
  if (passwordMatches && flagsMatch) return existing.id;

  const passwordHash = passwordMatches ? existing.password_hash : await hashPassword(password);
  await tx`
    UPDATE users SET status = 'active', platform_admin = ${user.platformAdmin}, developer = ${user.developer}, password_hash = ${passwordHash}, updated_at = now()
    WHERE id = ${existing.id}`;
  if (passwordMatches) await permissionsChanged(existing.id);
  else await endUserSessions(change, existing.id);
  await audit({
    action: 'user.update',
    targetType: 'user',
    targetId: existing.id,
    organizationId: null,
    before: { status: existing.status, platformAdmin: existing.platform_admin, developer: existing.developer },
    after: { status: 'active', platformAdmin: user.platformAdmin, developer: user.developer, ...(passwordMatches ? {} : { passwordSetup: 'password_set' }) },
  });
  changes.push(`updated user ${user.email}${passwordMatches ? '' : ' and set its password'}`);
  return existing.id;
}

/** Gives the user the demo's membership role in the organization and its role on every demo site. */
async function ensureAccess({ tx, audit, permissionsChanged }: Change, userId: string, user: DemoUser, organizationId: string, sites: SiteRef[]): Promise<void> {
  if (user.organizationRole === null) return;
  const [membership] = await tx<{ role: string }[]>`
    SELECT role FROM memberships WHERE user_id = ${userId} AND organization_id = ${organizationId} FOR UPDATE`;
  if (membership?.role !== user.organizationRole) {
    await tx`
      INSERT INTO memberships (user_id, organization_id, role) VALUES (${userId}, ${organizationId}, ${user.organizationRole})
      ON CONFLICT (user_id, organization_id) DO UPDATE SET role = excluded.role`;
    await permissionsChanged(userId);
    await audit({
      action: membership ? 'membership.update' : 'membership.create',
      targetType: 'user',
      targetId: userId,
      organizationId,
      before: membership ? { role: membership.role } : null,
      after: { role: user.organizationRole },
    });
  }
  if (user.siteRole === null) return;
  for (const site of sites) {
    const [grant] = await tx<{ role: string }[]>`SELECT role FROM site_access WHERE user_id = ${userId} AND site_id = ${site.id} FOR UPDATE`;
    if (grant?.role === user.siteRole) continue;
    await tx`
      INSERT INTO site_access (user_id, site_id, organization_id, role, granted_by)
      VALUES (${userId}, ${site.id}, ${organizationId}, ${user.siteRole}, NULL)
      ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role`;
    await permissionsChanged(userId);
    await audit({
      action: grant ? 'site_access.update' : 'site_access.grant',
      targetType: 'user',
      targetId: userId,
      organizationId,
      siteId: site.id,
      before: grant ? { role: grant.role } : null,
      after: { role: user.siteRole },
    });
  }
}

/**
 * Seeds the demo. `knownPasswords` (by lowercase email) are the passwords of an earlier run, kept for
 * the users they name; every other user gets a new random password.
 */
export async function seedDemo(deps: SeedDemoDeps, knownPasswords: ReadonlyMap<string, string>): Promise<SeedDemoResult> {
  const changes: string[] = [];
  const result = await runAuditedChange(deps, CLI_ACTOR, allOrganizations, async (change) => {
    const organizationId = await ensureOrganization(change, changes);
    const siteRefs: SiteRef[] = [];
    const sites: SeededSite[] = [];
    for (const demo of DEMO_SITES) {
      const site = await ensureSite(change, organizationId, demo, changes);
      await ensureDevices(change, site, demo, changes);
      await ensureDeviceRoles(change, site, demo, changes);
      await ensureEnergySettings(change, site, demo, changes);
      const pairingCode = await ensurePairingCode(change, site, demo, changes);
      siteRefs.push(site);
      sites.push({ key: demo.key, id: site.id, name: demo.name, pairingCode });
    }

    const logins: DemoLogin[] = [];
    for (const user of DEMO_USERS) {
      const password = knownPasswords.get(user.email.toLowerCase()) ?? newPassword();
      const userId = await ensureUser(change, user, password, changes);
      await ensureAccess(change, userId, user, organizationId, siteRefs);
      logins.push({ email: user.email, password, role: user.role, abilities: user.abilities });
    }
    return { organizationId, sites, logins };
  });
  deps.logger.info({ organizationId: result.organizationId, changes: changes.length }, 'demo seeded');
  return { ...result, changes };
}
