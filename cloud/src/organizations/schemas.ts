import { z } from '@hono/zod-openapi';
import { organizationRoleSchema } from '@simtestlab/sync';
import { emailSchema } from '../auth/schemas';
import { displayNameSchema } from '../api/text';

export const organizationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The caller's membership role; null for a platform admin who is not a member. */
    role: organizationRoleSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Organization');

export const organizationListSchema = z.object({ organizations: z.array(organizationSchema) }).openapi('OrganizationList');

const organizationName = displayNameSchema;

export const createOrganizationBodySchema = z.strictObject({ name: organizationName }).openapi('CreateOrganization');

export const updateOrganizationBodySchema = z.strictObject({ name: organizationName.optional() }).openapi('UpdateOrganization');

export const memberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    status: z.enum(['active', 'disabled']),
    role: organizationRoleSchema,
    /** When the user joined the organization. */
    createdAt: z.string(),
  })
  .openapi('OrganizationMember');

export const memberListSchema = z.object({ members: z.array(memberSchema) }).openapi('OrganizationMemberList');

export const addMemberBodySchema = z
  .strictObject({
    /** An existing user's email, matched case-insensitively. */
    email: emailSchema,
    role: organizationRoleSchema,
  })
  .openapi('AddOrganizationMember');

export const updateMemberBodySchema = z.strictObject({ role: organizationRoleSchema }).openapi('UpdateOrganizationMember');
