import { z } from 'zod';

/**
 * The permission matrix, enforced by both the edge node and the cloud hub. Roles rank from viewer up to
 * platform admin, and each action names the lowest role that may take it. Developer is a flag beside the
 * ranked roles: it grants the API documentation and the test-data tools, and no site or user data.
 */

/** Roles a user has at one site through an explicit site access grant. */
export const siteRoles = ['viewer', 'operator', 'site_manager'] as const;
export const siteRoleSchema = z.enum(siteRoles);
export type SiteRole = z.infer<typeof siteRoleSchema>;

/** Roles a user has in an organization through a membership. */
export const organizationRoles = ['org_admin', 'member'] as const;
export const organizationRoleSchema = z.enum(organizationRoles);
export type OrganizationRole = z.infer<typeof organizationRoleSchema>;

/** A user's effective role at a site, lowest first. */
export const effectiveRoles = ['viewer', 'operator', 'site_manager', 'org_admin', 'platform_admin'] as const;
export const effectiveRoleSchema = z.enum(effectiveRoles);
export type EffectiveRole = z.infer<typeof effectiveRoleSchema>;

export const actions = [
  'dashboard.view',
  'report.export',
  'alarm.acknowledge',
  'device.control',
  'site.manage',
  'site_user.manage',
  'organization.manage',
  'org_user.manage',
  'organization.cross_access',
  'admin_pages.view',
  'api_docs.view',
  'test_data.manage',
] as const;
export const actionSchema = z.enum(actions);
export type Action = z.infer<typeof actionSchema>;

/** Identity of a caller for the matrix: the effective role at the site in question (null for none) and the global flags. */
export interface Principal {
  role: EffectiveRole | null;
  developer: boolean;
}

/** Per-site settings the matrix depends on. */
export interface SitePolicy {
  /** Whether operators may control devices at this site; site managers and above always may. */
  operatorControl: boolean;
}

/** The lowest role allowed to take each action that the ranked roles govern. */
const minimumRole: Record<Exclude<Action, 'api_docs.view' | 'test_data.manage'>, EffectiveRole> = {
  'dashboard.view': 'viewer',
  'report.export': 'operator',
  'alarm.acknowledge': 'operator',
  'device.control': 'site_manager',
  'site.manage': 'site_manager',
  'site_user.manage': 'site_manager',
  'organization.manage': 'org_admin',
  'org_user.manage': 'org_admin',
  'organization.cross_access': 'platform_admin',
  'admin_pages.view': 'platform_admin',
};

/** Ranks a role: a larger number may do everything a smaller one may. */
export function roleRank(role: EffectiveRole): number {
  return effectiveRoles.indexOf(role);
}

/** Checks whether `role` ranks at least as high as `minimum`. */
export function roleAtLeast(role: EffectiveRole | null, minimum: EffectiveRole): boolean {
  return role !== null && roleRank(role) >= roleRank(minimum);
}

/** Decides one cell of the matrix. */
export function isAllowed(principal: Principal, action: Action, site: SitePolicy = { operatorControl: false }): boolean {
  if (action === 'api_docs.view' || action === 'test_data.manage') {
    return principal.developer || principal.role === 'platform_admin';
  }
  if (action === 'device.control' && site.operatorControl && principal.role === 'operator') return true;
  return roleAtLeast(principal.role, minimumRole[action]);
}

/** Lists the actions a principal may take at a site, in matrix order. */
export function allowedActions(principal: Principal, site?: SitePolicy): Action[] {
  return actions.filter((action) => isAllowed(principal, action, site));
}

/**
 * Site roles the granter may hand out at a site where they hold `granterRole`. Site managers grant
 * viewer and operator at their own sites but never site manager; org admins and above grant all three.
 */
export function grantableSiteRoles(granterRole: EffectiveRole | null): SiteRole[] {
  if (roleAtLeast(granterRole, 'org_admin')) return [...siteRoles];
  if (granterRole === 'site_manager') return ['viewer', 'operator'];
  return [];
}

/**
 * Resolves the effective role at a site: org admin when the user administers the site's organization,
 * else the explicit site access role, else none. Platform admins rank above everything everywhere.
 */
export function effectiveSiteRole(input: {
  platformAdmin: boolean;
  organizationRole: OrganizationRole | null;
  siteRole: SiteRole | null;
}): EffectiveRole | null {
  if (input.platformAdmin) return 'platform_admin';
  if (input.organizationRole === 'org_admin') return 'org_admin';
  return input.siteRole;
}
