import { z } from '@hono/zod-openapi';
import { siteRoleSchema } from '@simtestlab/sync';

export const siteAccessGrantSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: siteRoleSchema,
    /** The user who last granted or changed this access, null once that user is deleted. */
    grantedBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('SiteAccessGrant');

export const siteAccessListSchema = z
  .object({
    /** Explicit grants only; org admins reach every site of their organization through their role. */
    grants: z.array(siteAccessGrantSchema),
  })
  .openapi('SiteAccessList');

export const putSiteAccessBodySchema = z.strictObject({ role: siteRoleSchema }).openapi('PutSiteAccess');
