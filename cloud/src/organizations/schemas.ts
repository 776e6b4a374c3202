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
    /** ISO 4217 code that every tariff of the organization's sites is priced in. */
    currency: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Organization');

export const organizationListSchema = z.object({ organizations: z.array(organizationSchema) }).openapi('OrganizationList');

const organizationName = displayNameSchema;

export const createOrganizationBodySchema = z.strictObject({ name: organizationName }).openapi('CreateOrganization');

/** ISO 4217 codes in use, as listed by the ICU data of the Node.js runtime. */
const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code in use, such as EUR. */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: (issue) => `invalid currency ${JSON.stringify(issue.input)}: expected an ISO 4217 code of three capital letters such as EUR`, abort: true })
  .refine((code) => knownCurrencies.has(code), { error: (issue) => `unknown currency "${String(issue.input)}": expected an ISO 4217 code in use, such as EUR or USD` })
  .openapi({ example: 'EUR' });

export const updateOrganizationBodySchema = z
  .strictObject({
    name: organizationName.optional(),
    /** A new currency is rejected while a site of the organization has tariffs in the old one. */
    currency: currencySchema.optional(),
  })
  .openapi('UpdateOrganization');

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
