import { z } from '@hono/zod-openapi';
import { organizationRoleSchema, effectiveRoleSchema } from '@simtestlab/sync';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords';

export const emailSchema = z.email().max(254).openapi({ example: 'ana@example.com' });

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must have at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must have at most ${PASSWORD_MAX_LENGTH} characters`);

export const loginBodySchema = z
  .strictObject({
    email: emailSchema,
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .openapi('LoginRequest');

export const refreshBodySchema = z
  .strictObject({
    /** Omitted by browsers, which send the httpOnly cookie instead. */
    refreshToken: z.string().min(1).max(200).optional(),
  })
  .openapi('RefreshRequest');

export const setPasswordBodySchema = z
  .strictObject({
    token: z.string().min(1).max(200),
    password: newPasswordSchema,
  })
  .openapi('SetPasswordRequest');

export const tokenResponseSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    /** Seconds until the access token expires. */
    expiresIn: z.number().int(),
    refreshToken: z.string(),
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  })
  .openapi('TokenResponse');

export const validatedTokenSchema = z
  .object({
    user: z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      platformAdmin: z.boolean(),
      developer: z.boolean(),
      permissionsVersion: z.number().int(),
    }),
    organizations: z.array(z.object({ id: z.string(), name: z.string(), role: organizationRoleSchema })),
    /** Every site the user can open, with the effective role there. */
    sites: z.array(z.object({ id: z.string(), organizationId: z.string(), name: z.string(), role: effectiveRoleSchema })),
    /** True for platform admins, who can open every site, including those not listed. */
    allSites: z.boolean(),
    tokenExpiresAt: z.number().int().openapi({ description: 'Expiry of the validated token, epoch seconds' }),
  })
  .openapi('ValidatedToken');

export const forgotPasswordBodySchema = z.strictObject({ email: emailSchema }).openapi('ForgotPasswordRequest');

export const forgotPasswordResponseSchema = z
  .object({
    status: z.literal('accepted'),
    message: z.string(),
  })
  .openapi('ForgotPasswordResponse');
