import { z } from '@hono/zod-openapi';
import { siteNodeKinds } from '@simtestlab/sync';
import { displayNameSchema } from '../api/text';

/** Kinds of node in a site's hierarchy. */
export const siteNodeKindSchema = z.enum(siteNodeKinds).openapi('SiteNodeKind');
export type SiteNodeKind = z.infer<typeof siteNodeKindSchema>;

export const siteNodeSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    siteId: z.string(),
    /** Null for a node at the top level of the site. */
    parentId: z.string().nullable(),
    kind: siteNodeKindSchema,
    name: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SiteNode');

export const siteNodeListSchema = z
  .object({
    /** Every node of the site, parents before their children, siblings by name. */
    nodes: z.array(siteNodeSchema),
  })
  .openapi('SiteNodeList');

const nodeName = displayNameSchema;

const parentId = z
  .guid()
  .nullable()
  .optional()
  .openapi({ description: 'Parent node in the same site, null or absent for the top level' });

export const createSiteNodeBodySchema = z
  .strictObject({
    kind: siteNodeKindSchema,
    name: nodeName,
    parentId,
  })
  .openapi('CreateSiteNode');

export const updateSiteNodeBodySchema = z
  .strictObject({
    name: nodeName.optional(),
    parentId: parentId.openapi({ description: 'New parent node in the same site. Null moves the node to the top level, and an absent field leaves it in place.' }),
  })
  .openapi('UpdateSiteNode');
