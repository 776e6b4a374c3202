import { isAllowed, type Action, type EffectiveRole, type OrganizationRole } from '@simtestlab/sync';
import type { Client } from 'openapi-fetch';
import type { paths as CloudPaths } from '../api/generated/cloud-api';
import type { paths as EdgePaths } from '../api/generated/edge-api';
import { unwrap } from '../api/http';
import type { Instance } from './instance';
import type { Viewer } from './viewer';

/** The edge's `GET /api/me` body, as far as the viewer needs it. */
export interface EdgeMe {
  id: string;
  source: 'local' | 'cloud-user' | 'hub-token';
  name: string;
  role: EffectiveRole;
  developer: boolean;
  actions: Action[];
  operatorControl: boolean;
}

/** The hub's `GET /api/me` body (the `Profile` schema), as far as the viewer needs it. */
export interface CloudProfile {
  id: string;
  email: string;
  name: string;
  platformAdmin: boolean;
  developer: boolean;
  memberships: { organizationId: string; organizationName: string; role: OrganizationRole }[];
  sites: { id: string; organizationId: string; name: string; role: EffectiveRole; actions: Action[] }[];
  allSites: boolean;
}

/** The viewer's access to one site: the role there and, when the server listed them, the allowed actions. */
interface SiteGrant {
  role: EffectiveRole | null;
  actions?: readonly Action[];
  operatorControl?: boolean;
}

/**
 * Decides an action from the server's list when it sent one, else from the shared permission matrix.
 * Without the site's policy the matrix assumes operators may not control devices, the stricter reading.
 */
function decide(action: Action, grant: SiteGrant, developer: boolean): boolean {
  if (grant.actions) return grant.actions.includes(action);
  return isAllowed({ role: grant.role, developer }, action, { operatorControl: grant.operatorControl ?? false });
}

/**
 * Builds the viewer of an edge node: one site, the caller's role there and the actions the edge allows.
 * The edge stores no organizations, so only a platform admin counts as administrator here, and the edge
 * serves no admin pages anyway.
 */
export function edgeViewer(me: EdgeMe, instance: Extract<Instance, { mode: 'edge' }>): Viewer {
  const grant: SiteGrant = { role: me.role, actions: me.actions, operatorControl: me.operatorControl };
  const platformAdmin = me.role === 'platform_admin';
  return {
    id: me.id,
    name: me.name,
    email: null,
    source: me.source,
    platformAdmin,
    developer: me.developer,
    organizations: [],
    sites: [{ id: instance.siteId, name: instance.siteName, organizationId: null, role: me.role }],
    can: (action, siteId) => siteId === instance.siteId && decide(action, grant, me.developer),
    canAdminister: platformAdmin,
  };
}

/**
 * Builds the viewer of the hub. A listed site uses the actions the hub computed for it. A platform admin
 * may also open sites that are not listed, so there the matrix decides with the platform admin role.
 */
export function cloudViewer(profile: CloudProfile): Viewer {
  const grants = new Map<string, SiteGrant>(profile.sites.map((site) => [site.id, { role: site.role, actions: site.actions }]));
  const unlisted: SiteGrant = { role: profile.allSites ? 'platform_admin' : null };
  const organizations = profile.memberships.map((membership) => ({
    id: membership.organizationId,
    name: membership.organizationName,
    role: membership.role,
  }));
  return {
    id: profile.id,
    name: profile.name,
    email: profile.email,
    source: 'cloud',
    platformAdmin: profile.platformAdmin,
    developer: profile.developer,
    organizations,
    sites: profile.sites.map((site) => ({ id: site.id, name: site.name, organizationId: site.organizationId, role: site.role })),
    can: (action, siteId) => decide(action, grants.get(siteId) ?? unlisted, profile.developer),
    canAdminister: profile.platformAdmin || organizations.some((organization) => organization.role === 'org_admin'),
  };
}

/** Loads the signed-in user of an edge node from its `GET /api/me`. */
export async function loadEdgeViewer(edge: Client<EdgePaths>, instance: Extract<Instance, { mode: 'edge' }>): Promise<Viewer> {
  return edgeViewer(await unwrap(edge.GET('/api/me', {})), instance);
}

/** Loads the signed-in user of the hub from its `GET /api/me`. */
export async function loadCloudViewer(cloud: Client<CloudPaths>): Promise<Viewer> {
  return cloudViewer(await unwrap(cloud.GET('/api/me', {})));
}
