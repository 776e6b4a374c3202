import { z } from 'zod';

/**
 * What `GET /api/instance` says before anyone logs in: which server serves this UI. The edge node
 * serves one site in local mode; the hub serves every site a user may see in remote mode.
 */
export const instanceSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('edge'),
    siteId: z.string(),
    siteName: z.string(),
    version: z.string(),
    cloud: z.object({ paired: z.boolean(), url: z.string().nullable() }),
    /** Present while first-boot setup is not finished; the site fields are empty then. */
    setup: z.literal(true).optional(),
  }),
  z.object({ mode: z.literal('cloud'), version: z.string(), publicUrl: z.string().optional() }),
]);
export type Instance = z.infer<typeof instanceSchema>;
