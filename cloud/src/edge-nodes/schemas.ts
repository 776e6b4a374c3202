import { z } from '@hono/zod-openapi';
import { displayNameSchema } from '../api/text';

export const edgeNodeSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    organizationId: z.string(),
    name: z.string(),
    /** Null until the node first connects. */
    lastSeenAt: z.string().nullable(),
    /** Software version the node reported on its last connection; null until it connects. */
    softwareVersion: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('EdgeNode');

export const edgeNodeListSchema = z.object({ edgeNodes: z.array(edgeNodeSchema) }).openapi('EdgeNodeList');

const edgeNodeNameSchema = displayNameSchema;

export const createEdgeNodeBodySchema = z.strictObject({ name: edgeNodeNameSchema }).openapi('CreateEdgeNode');

export const updateEdgeNodeBodySchema = z.strictObject({ name: edgeNodeNameSchema }).openapi('UpdateEdgeNode');

export const edgeNodeCredentialSchema = z
  .object({
    edgeNode: edgeNodeSchema,
    credential: z.string().openapi({
      description: 'Secret the edge node authenticates with. Only this response contains it, because the hub stores only its SHA-256 digest. A lost credential can only be replaced by rotation.',
    }),
  })
  .openapi('EdgeNodeCredential');
