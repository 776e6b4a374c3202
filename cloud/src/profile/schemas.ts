import { z } from '@hono/zod-openapi';
import { actionSchema, effectiveRoleSchema, organizationRoleSchema } from '@simtestlab/sync';
import { newPasswordSchema } from '../auth/schemas';
import { PASSWORD_MAX_LENGTH } from '../auth/passwords';
import { displayNameSchema } from '../api/text';

export const profileSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    platformAdmin: z.boolean(),
    developer: z.boolean(),
    /** Raised by every change of the user's roles or profile; a permission-changed message carries the new value. */
    permissionsVersion: z.number().int(),
    /** The organizations the user belongs to, by name. */
    memberships: z.array(z.object({ organizationId: z.string(), organizationName: z.string(), role: organizationRoleSchema })),
    /** Every site the user can open through a grant or an org admin role, by name, with the effective role and the actions it allows. */
    sites: z.array(
      z.object({
        id: z.string(),
        organizationId: z.string(),
        name: z.string(),
        role: effectiveRoleSchema,
        actions: z.array(actionSchema),
      }),
    ),
    /** True for platform admins, who can open every site, including those not listed. */
    allSites: z.boolean(),
    /** Actions outside any site or organization: admin pages, API documentation, test-data tools. */
    globalActions: z.array(actionSchema),
  })
  .openapi('Profile');

export const updateProfileBodySchema = z.strictObject({ name: displayNameSchema }).openapi('UpdateProfile');

export const changePasswordBodySchema = z
  .strictObject({
    currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    newPassword: newPasswordSchema,
  })
  .openapi('ChangePassword');
