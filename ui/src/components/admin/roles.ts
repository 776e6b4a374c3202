import type { EffectiveRole, OrganizationRole } from '@simtestlab/sync';

const roleLabels: Record<EffectiveRole | OrganizationRole, string> = {
  viewer: 'Viewer',
  operator: 'Operator',
  site_manager: 'Site manager',
  org_admin: 'Org admin',
  platform_admin: 'Platform admin',
  member: 'Member',
};

/** Returns the display name of a site, organization or effective role. */
export function roleLabel(role: EffectiveRole | OrganizationRole): string {
  return roleLabels[role];
}
