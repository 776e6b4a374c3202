import type { OrganizationRole } from '@simtestlab/sync';

/** A row of the organizations table as the queries select it. */
export interface OrganizationRow {
  id: string;
  name: string;
  currency: string;
  created_at: Date;
  updated_at: Date;
}

export const ORGANIZATION_COLUMNS = ['id', 'name', 'currency', 'created_at', 'updated_at'];

/** Converts an organization row to its API shape, with the caller's membership role there. */
export function toOrganization(row: OrganizationRow, role: OrganizationRole | null) {
  return {
    id: row.id,
    name: row.name,
    role,
    currency: row.currency,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Returns the audited state of an organization: its settings, without timestamps. */
export function organizationAuditState(row: OrganizationRow) {
  return { name: row.name, currency: row.currency };
}

/** A membership joined with its user, as the member queries select it. */
export interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
  role: OrganizationRole;
  created_at: Date;
}

/** Converts a member row to its API shape. */
export function toMember(row: MemberRow) {
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    status: row.status,
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
}
