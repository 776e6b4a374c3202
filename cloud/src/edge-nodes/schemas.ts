import { z } from '@hono/zod-openapi';
import { displayNameSchema } from '../api/text';

export const edgeNodeSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    organizationId: z.string(),
    name: z.string(),
    paired: z.boolean().openapi({ description: 'True when the node has registered its key and is not revoked.' }),
    /** Null until the node first pairs. */
    pairedAt: z.string().nullable(),
    /** Set when an admin revokes the node; using a new pairing code clears it. */
    revokedAt: z.string().nullable(),
    /** Host name the node reported when it paired. */
    hostname: z.string().nullable(),
    /** Null until the node first calls the hub. */
    lastSeenAt: z.string().nullable(),
    /** Software version the node reported last; null until it pairs. */
    softwareVersion: z.string().nullable(),
    /** Expiry of the pending pairing code; null when no unused code exists. */
    pairingCodeExpiresAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('EdgeNode');

export const edgeNodeListSchema = z.object({ edgeNodes: z.array(edgeNodeSchema) }).openapi('EdgeNodeList');

const edgeNodeNameSchema = displayNameSchema;

export const createEdgeNodeBodySchema = z.strictObject({ name: edgeNodeNameSchema }).openapi('CreateEdgeNode');

export const updateEdgeNodeBodySchema = z.strictObject({ name: edgeNodeNameSchema }).openapi('UpdateEdgeNode');

export const edgeNodePairingCodeSchema = z
  .object({
    edgeNode: edgeNodeSchema,
    pairingCode: z.string().openapi({
      description:
        'One-time code, formatted XXXX-XXXX-XX, that the installer enters with `edge-node pair`. Only this response contains it, because the hub stores only its SHA-256 digest.',
      example: '7K3M-Q9TX-2B',
    }),
    pairingCodeExpiresAt: z.string(),
  })
  .openapi('EdgeNodePairingCode');
