import { z } from '@hono/zod-openapi';
import { foundDeviceSchema } from '../../setup/scan/schemas';

/**
 * Request and response bodies of the first-boot setup routes (`/api/setup/*`). These schemas fix only
 * the shape. The handlers check usernames, passwords, time zones and device picks themselves, so
 * their 400s name the field and the rule.
 */

export const setupSiteSchema = z
  .object({
    mode: z.enum(['paired', 'standalone']),
    siteId: z.string(),
    siteName: z.string(),
    timeZone: z.string().openapi({ example: 'Europe/Berlin' }),
    cloudUrl: z.string().optional().openapi({ description: 'Base URL of the hub; present when paired' }),
  })
  .openapi('SetupSite');

export const setupStatusSchema = z
  .object({
    state: z.enum(['setup', 'complete']),
    steps: z.object({
      admin: z.boolean().openapi({ description: 'Whether a local admin account exists' }),
      site: setupSiteSchema.nullable(),
      devices: z.number().int().openapi({ description: 'Number of devices chosen (in setup) or configured (when complete)' }),
    }),
    setupUrl: z.string().openapi({ description: 'Path of the setup wizard in the web app', example: '/setup' }),
  })
  .openapi('SetupStatus');

export const setupUnlockRequestSchema = z
  .object({ code: z.string().openapi({ description: 'Setup code printed on the console; dashes and spaces do not matter', example: '1234-5678' }) })
  .openapi('SetupUnlockRequest');

export const setupUnlockResponseSchema = z
  .object({
    token: z.string().openapi({ description: 'Setup session token; send it as `Authorization: Bearer <token>`' }),
    expiresAt: z.string().openapi({ description: 'ISO 8601 time the token expires, one hour after the unlock' }),
  })
  .openapi('SetupUnlockResponse');

export const setupAdminRequestSchema = z
  .object({
    username: z.string().openapi({ description: '3 to 64 letters, digits, dots, dashes or underscores', example: 'installer' }),
    password: z.string().openapi({ description: '12 to 256 characters' }),
  })
  .openapi('SetupAdminRequest');

export const setupAdminResponseSchema = z.object({ username: z.string() }).openapi('SetupAdminResponse');

export const setupPairRequestSchema = z
  .object({
    cloudUrl: z.string().openapi({ description: 'Base URL of the cloud hub, http or https', example: 'https://ems.example.com' }),
    code: z.string().openapi({ description: 'One-time pairing code an admin issued in the hub', example: '7K3M-Q9TX-2B' }),
  })
  .openapi('SetupPairRequest');

export const setupPairResponseSchema = z
  .object({ siteId: z.string(), siteName: z.string(), timeZone: z.string(), organizationId: z.string(), edgeNodeId: z.string() })
  .openapi('SetupPairResponse');

export const setupStandaloneRequestSchema = z
  .object({
    siteName: z.string().openapi({ description: '1 to 200 characters; the site id is derived from it', example: 'Plant North' }),
    timeZone: z.string().openapi({ description: 'IANA time zone name', example: 'Europe/Berlin' }),
  })
  .openapi('SetupStandaloneRequest');

export const setupStandaloneResponseSchema = z
  .object({ siteId: z.string(), siteName: z.string(), timeZone: z.string() })
  .openapi('SetupStandaloneResponse');

export const setupTemplateSchema = z
  .object({
    id: z.string().openapi({ description: 'Template name, as `template` in a site file', example: 'eastron-sdm630' }),
    name: z.string().openapi({ description: 'Title of the template' }),
    protocol: z.enum(['modbus-tcp', 'bacnet']),
    description: z.string().openapi({ description: 'Manufacturer and the document the points follow' }),
  })
  .openapi('SetupTemplate');

export const setupTemplatesResponseSchema = z.object({ templates: z.array(setupTemplateSchema) }).openapi('SetupTemplates');

export const setupDevicePickSchema = z
  .object({
    key: z.string().optional().openapi({ description: 'Device key; derived from `name` when absent', example: 'grid-meter' }),
    name: z.string(),
    template: z.string(),
    protocol: z.enum(['modbus-tcp', 'bacnet']),
    host: z.string().optional().openapi({ description: 'IPv4 address or host name of a Modbus TCP device' }),
    address: z.string().optional().openapi({ description: 'IPv4 address or host name of a BACnet/IP device' }),
    port: z.number().int().openapi({ description: 'TCP port (Modbus) or UDP port (BACnet) of the device' }),
    unitId: z.number().int().optional().openapi({ description: 'Modbus unit id; 1 when absent' }),
    deviceInstance: z.number().int().optional().openapi({ description: 'BACnet device instance; required for BACnet' }),
  })
  .openapi('SetupDevicePick');

export const setupDevicesRequestSchema = z.object({ devices: z.array(setupDevicePickSchema) }).openapi('SetupDevicesRequest');

export const setupDevicesResponseSchema = z
  .object({ devices: z.number().int().openapi({ description: 'Number of devices the site file will contain' }) })
  .openapi('SetupDevicesResponse');

export const setupFinishResponseSchema = z
  .object({ state: z.literal('complete'), loginUrl: z.literal('/login') })
  .openapi('SetupFinishResponse');

export const setupScanStartedSchema = z.object({ scanId: z.string() }).openapi('SetupScanStarted');

/** Body of `GET /api/setup/scan/{scanId}`: the scan's progress and the devices found so far. */
export const setupScanJobSchema = z
  .object({
    scanId: z.string(),
    cidr: z.string(),
    state: z.enum(['running', 'done', 'failed']),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    error: z.string().optional(),
    found: z.array(foundDeviceSchema),
  })
  .openapi('SetupScanJob');
