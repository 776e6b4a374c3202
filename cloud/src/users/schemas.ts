import { z } from '@hono/zod-openapi';
import { organizationRoleSchema } from '@simtestlab/sync';
import { emailSchema } from '../auth/schemas';
import { displayNameSchema } from '../api/text';

export const userStatusSchema = z.enum(['active', 'disabled']);

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    status: userStatusSchema,
    platformAdmin: z.boolean(),
    developer: z.boolean(),
    /** False until the user has set a password through an invitation link. */
    passwordSet: z.boolean(),
    /** The user's memberships in the organizations the caller may see them in. */
    memberships: z.array(z.object({ organizationId: z.string(), organizationName: z.string(), role: organizationRoleSchema })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

export const userListSchema = z.object({ users: z.array(userSchema) }).openapi('UserList');

export const userListQuerySchema = z.object({
  organizationId: z.string().optional().openapi({ description: 'Only members of this organization' }),
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Case-insensitive substring of the email or name' }),
});

const userName = displayNameSchema;

export const inviteUserBodySchema = z
  .strictObject({
    email: emailSchema,
    name: userName,
    /** The organization to add the user to; only platform admins may omit it. */
    organizationId: z.string().optional(),
    /** Role in that organization; member unless given. */
    organizationRole: organizationRoleSchema.optional(),
  })
  .openapi('InviteUser');

export const updateUserBodySchema = z
  .strictObject({
    name: userName.optional(),
    status: userStatusSchema.optional(),
    /** Platform admins only. */
    platformAdmin: z.boolean().optional(),
    /** Platform admins only. */
    developer: z.boolean().optional(),
  })
  .openapi('UpdateUser');

export const passwordLinkSchema = z
  .object({
    /** Link to the web app's set-password page. The token sits in the fragment, which browsers do not send with the page request. */
    setPasswordUrl: z.string(),
    expiresAt: z.string(),
  })
  .openapi('PasswordLink');

export const invitationSchema = z
  .object({
    user: userSchema,
    setPasswordUrl: passwordLinkSchema.shape.setPasswordUrl,
    expiresAt: passwordLinkSchema.shape.expiresAt,
  })
  .openapi('UserInvitation');
