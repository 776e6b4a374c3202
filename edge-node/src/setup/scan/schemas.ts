import { z } from 'zod';
import { InvalidCidrError, parseScanCidr } from './cidr';

/**
 * Wire schemas of the setup page's LAN scan: the request body of `POST /api/setup/scan` and one found
 * device of `GET /api/setup/scan/{scanId}`.
 */

/** Maximum entries in `modbusPorts`, because each port is probed on every host of the network. */
export const MAX_SCAN_PORTS = 8;
/** Maximum entries in `unitIds`, because each unit id costs up to three marker reads on every open port. */
export const MAX_SCAN_UNIT_IDS = 32;

const cidrSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'cidr is required: enter the IPv4 network to scan, such as 192.168.1.0/24'
        : `cidr ${JSON.stringify(issue.input)} is not text; write the network as a string such as "192.168.1.0/24"`,
  })
  .trim()
  .superRefine((value, context) => {
    try {
      parseScanCidr(value);
    } catch (error) {
      if (!(error instanceof InvalidCidrError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
    }
  });

function integerInRange(field: string, min: number, max: number) {
  const message = (input: unknown) => `${field} ${JSON.stringify(input)} is invalid; use a whole number from ${min} to ${max}`;
  return z
    .number({ error: (issue) => message(issue.input) })
    .int({ error: (issue) => message(issue.input) })
    .min(min, { error: (issue) => message(issue.input) })
    .max(max, { error: (issue) => message(issue.input) });
}

function distinctList(field: string, item: z.ZodNumber, maxItems: number) {
  return z
    .array(item, { error: `${field} must be a list of numbers` })
    .min(1, { error: `${field} is empty; give at least one value or leave it out for the default` })
    .max(maxItems, { error: (issue) => `${field} has ${(issue.input as unknown[]).length} entries; give at most ${maxItems}` })
    .transform((values) => [...new Set(values)]);
}

const portSchema = integerInRange('port', 1, 65_535);

/** Body of `POST /api/setup/scan`. The cidr is required, because the scan has no default target. */
export const lanScanRequestSchema = z
  .object({
    /** IPv4 network to scan, prefix /22 or longer (at most 1024 addresses). */
    cidr: cidrSchema,
    /** Modbus TCP ports probed on every host. */
    modbusPorts: distinctList('modbusPorts', portSchema, MAX_SCAN_PORTS).default([502]),
    /** Modbus unit ids read on every open port: 0 reaches some gateways, 1-247 are device addresses. */
    unitIds: distinctList('unitIds', integerInRange('unit id', 0, 247), MAX_SCAN_UNIT_IDS).default([1]),
    /** Whether to send a BACnet/IP Who-Is to the network's broadcast address. */
    bacnet: z.boolean({ error: 'bacnet must be true or false' }).default(true),
    /** UDP port the BACnet devices listen on. */
    bacnetPort: portSchema.default(47_808),
  });
export type LanScanRequest = z.infer<typeof lanScanRequestSchema>;

/**
 * The common model (SunSpec model 1) of a device whose SunSpec marker was found. A text is empty when
 * the device has no model 1 or leaves the point unset.
 */
export const sunspecSummarySchema = z.object({
  manufacturer: z.string(),
  model: z.string(),
  serialNumber: z.string(),
  version: z.string(),
  /** Model ids of the chain in device order, without the end model 0xFFFF. */
  models: z.array(z.number().int()),
});
export type SunspecSummary = z.infer<typeof sunspecSummarySchema>;

/** A Modbus TCP server that accepted a connection. `sunspec` is null when no "SunS" marker was found. */
export const foundModbusDeviceSchema = z.object({
  /** Stable id of the find within a scan: `modbus-tcp:<host>:<port>:<unitId>`. */
  key: z.string(),
  protocol: z.literal('modbus-tcp'),
  host: z.string(),
  port: z.number().int(),
  unitId: z.number().int(),
  sunspec: sunspecSummarySchema.nullable(),
  /** Names of device templates that fit, best first. */
  suggestedTemplates: z.array(z.string()),
});

/** A BACnet/IP device that replied to Who-Is with I-Am. A name is empty when the device did not return it. */
export const foundBacnetDeviceSchema = z.object({
  /** Stable id of the find within a scan: `bacnet:<address>:<port>:<deviceInstance>`. */
  key: z.string(),
  protocol: z.literal('bacnet'),
  /** IPv4 address the I-Am came from. */
  address: z.string(),
  port: z.number().int(),
  deviceInstance: z.number().int(),
  vendorId: z.number().int(),
  vendorName: z.string(),
  objectName: z.string(),
  modelName: z.string(),
  /** Names of BACnet templates that fit, best first. */
  suggestedTemplates: z.array(z.string()),
});

/** One device found by a LAN scan. */
export const foundDeviceSchema = z.discriminatedUnion('protocol', [foundModbusDeviceSchema, foundBacnetDeviceSchema]);
export type FoundDevice = z.infer<typeof foundDeviceSchema>;
export type FoundModbusDevice = z.infer<typeof foundModbusDeviceSchema>;
export type FoundBacnetDevice = z.infer<typeof foundBacnetDeviceSchema>;
