import { expectJson, loginToHub } from './hub-api';
import { objectField, stringField } from './json-fields';

/*
 * Seeds the hub through its public API, as an admin would in the web app: an organization, a site with
 * the edge's devices, an edge node with a pairing code, and one invited user per role. Each user's
 * password is set through the set-password link of the invitation.
 */

/** The roles the stack creates a user for: the three site roles and the organization admin. */
export const stackRoles = ['viewer', 'operator', 'site_manager', 'org_admin'] as const;
export type StackRole = (typeof stackRoles)[number];

/** Login credentials of one user. */
export interface Credentials {
  email: string;
  password: string;
}

/** A seeded hub user: id, credentials and role. */
export interface StackUser extends Credentials {
  id: string;
  role: StackRole;
  name: string;
}

/** What `seedHub` created. */
export interface HubSeed {
  organizationId: string;
  siteId: string;
  edgeNodeId: string;
  pairingCode: string;
  /** Hub device ids by device key. */
  deviceIds: Record<string, string>;
  users: Record<StackRole, StackUser>;
}

/** Settings of the seeded organization and site. */
export interface HubSeedSettings {
  organizationName: string;
  siteName: string;
  timeZone: string;
  /** Whether operators may control points at the site. */
  operatorControl: boolean;
  /** The edge's devices in the shared device model (templates expanded), created on the hub with the same keys. */
  devices: Record<string, unknown>[];
  /** Password of every seeded user. */
  password: string;
  /** Domain of the seeded users' emails, such as `acme.test`. */
  emailDomain: string;
}

const roleNames: Record<StackRole, string> = {
  viewer: 'Vera Viewer',
  operator: 'Otto Operator',
  site_manager: 'Sam Site Manager',
  org_admin: 'Olga Org Admin',
};

/** Returns the token in the fragment of a set-password link, `.../set-password#token=...`. */
function tokenOfLink(link: string): string {
  const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token');
  if (token === null || token === '') throw new Error(`the set-password link "${link}" has no token in its fragment`);
  return token;
}

/** Invites a user into the organization, grants the site role and sets the password through the invitation link. */
async function createUser(hubUrl: string, adminToken: string, role: StackRole, seed: { organizationId: string; siteId: string }, settings: HubSeedSettings): Promise<StackUser> {
  const email = `${role.replace('_', '-')}@${settings.emailDomain}`;
  const name = roleNames[role];
  const invitation = await expectJson(hubUrl, 'POST', '/api/users', 201, {
    token: adminToken,
    body: { email, name, organizationId: seed.organizationId, organizationRole: role === 'org_admin' ? 'org_admin' : 'member' },
  });
  const id = stringField(objectField(invitation, 'user', `inviting ${email}`), 'id', `inviting ${email}`);
  if (role !== 'org_admin') {
    await expectJson(hubUrl, 'PUT', `/api/sites/${seed.siteId}/access/${id}`, 200, { token: adminToken, body: { role } });
  }
  const link = stringField(invitation, 'setPasswordUrl', `inviting ${email}`);
  await expectJson(hubUrl, 'POST', '/api/auth/set-password', 204, { body: { token: tokenOfLink(link), password: settings.password } });
  return { id, role, name, email, password: settings.password };
}

/** Seeds the hub as the platform admin; returns the ids, the pairing code and the users. */
export async function seedHub(hubUrl: string, admin: Credentials, settings: HubSeedSettings): Promise<HubSeed> {
  const adminToken = await loginToHub(hubUrl, admin.email, admin.password);
  const organization = await expectJson(hubUrl, 'POST', '/api/organizations', 201, { token: adminToken, body: { name: settings.organizationName } });
  const organizationId = stringField(organization, 'id', 'creating the organization');
  const site = await expectJson(hubUrl, 'POST', `/api/organizations/${organizationId}/sites`, 201, {
    token: adminToken,
    body: { name: settings.siteName, timeZone: settings.timeZone, operatorControl: settings.operatorControl },
  });
  const siteId = stringField(site, 'id', 'creating the site');

  const deviceIds: Record<string, string> = {};
  for (const device of settings.devices) {
    const created = await expectJson(hubUrl, 'POST', `/api/sites/${siteId}/devices`, 201, { token: adminToken, body: { device } });
    deviceIds[String(device.key)] = stringField(created, 'id', `creating device ${String(device.key)}`);
  }

  const edgeNode = await expectJson(hubUrl, 'POST', `/api/sites/${siteId}/edge-nodes`, 201, { token: adminToken, body: { name: 'Site gateway' } });
  const edgeNodeId = stringField(objectField(edgeNode, 'edgeNode', 'creating the edge node'), 'id', 'creating the edge node');
  const pairingCode = stringField(edgeNode, 'pairingCode', 'creating the edge node');

  const users = {} as Record<StackRole, StackUser>;
  for (const role of stackRoles) users[role] = await createUser(hubUrl, adminToken, role, { organizationId, siteId }, settings);
  return { organizationId, siteId, edgeNodeId, pairingCode, deviceIds, users };
}
