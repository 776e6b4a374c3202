import { effectiveSiteRole, isAllowed, type Action, type EffectiveRole, type OrganizationRole, type Principal } from '@simtestlab/sync';
import type { TenantScope } from '../db/scope';
import type { UserPermissions } from './user-permissions';

/** The permissions that authorization reads. The token cutoff is left out because only authentication checks it. */
export type CallerPermissions = Omit<UserPermissions, 'tokensValidFromVersion'>;

/** The authenticated user of one request, with their permissions resolved once for the whole request. */
export class Caller {
  readonly scope: TenantScope;
  private readonly organizationRoles: Map<string, OrganizationRole>;
  private readonly siteRoles: Map<string, UserPermissions['sites'][number]['role']>;

  constructor(readonly permissions: CallerPermissions) {
    this.organizationRoles = new Map(permissions.organizations.map((membership) => [membership.id, membership.role]));
    this.siteRoles = new Map(permissions.sites.map((grant) => [grant.id, grant.role]));
    this.scope = permissions.platformAdmin
      ? { all: true }
      : { all: false, organizationIds: permissions.organizations.map((membership) => membership.id) };
  }

  get userId(): string {
    return this.permissions.userId;
  }

  get platformAdmin(): boolean {
    return this.permissions.platformAdmin;
  }

  /** Returns the caller's role in an organization. Platform admins rank as org admin everywhere. */
  organizationRole(organizationId: string): OrganizationRole | null {
    if (this.permissions.platformAdmin) return 'org_admin';
    return this.organizationRoles.get(organizationId) ?? null;
  }

  /** Checks whether the caller belongs to (or, as platform admin, may enter) an organization. */
  seesOrganization(organizationId: string): boolean {
    return this.permissions.platformAdmin || this.organizationRoles.has(organizationId);
  }

  /** Returns the caller's effective role at a site of `organizationId`, or null for no access. */
  siteRole(siteId: string, organizationId: string): EffectiveRole | null {
    return effectiveSiteRole({
      platformAdmin: this.permissions.platformAdmin,
      organizationRole: this.organizationRoles.get(organizationId) ?? null,
      siteRole: this.siteRoles.get(siteId) ?? null,
    });
  }

  /** Returns the principal for organization-wide actions: org admin, platform admin, or no role. */
  organizationPrincipal(organizationId: string): Principal {
    const role: EffectiveRole | null = this.permissions.platformAdmin
      ? 'platform_admin'
      : this.organizationRoles.get(organizationId) === 'org_admin'
        ? 'org_admin'
        : null;
    return { role, developer: this.permissions.developer };
  }

  /** Returns the principal for actions outside any organization: admin pages, API docs, test-data tools. */
  globalPrincipal(): Principal {
    return { role: this.permissions.platformAdmin ? 'platform_admin' : null, developer: this.permissions.developer };
  }

  /** Checks whether the caller may take an action that belongs to no site or organization. */
  canGlobally(action: Action): boolean {
    return isAllowed(this.globalPrincipal(), action);
  }
}
