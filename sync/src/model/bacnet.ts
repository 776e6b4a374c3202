import { z } from 'zod';
import { pointBaseSchema } from './point';

/**
 * BACnet object types a point may read, named as in ANSI/ASHRAE 135 in lowercase with hyphens:
 * analog, binary and multi-state inputs, outputs and values.
 */
export const bacnetObjectTypes = [
  'analog-input',
  'analog-output',
  'analog-value',
  'binary-input',
  'binary-output',
  'binary-value',
  'multi-state-input',
  'multi-state-output',
  'multi-state-value',
] as const;
export const bacnetObjectTypeSchema = z.enum(bacnetObjectTypes);
export type BacnetObjectType = z.infer<typeof bacnetObjectTypeSchema>;

/** Largest object instance number; 4194303 is reserved as the wildcard instance. */
export const BACNET_MAX_INSTANCE = 4_194_302;

/** Max-APDU-length-accepted values that BACnet defines, in octets. */
export const bacnetMaxApduLengths = [50, 128, 206, 480, 1024, 1476] as const;

/**
 * A property named as in ANSI/ASHRAE 135 (`present-value`, `relinquish-default`) or given by its
 * number, which proprietary properties need. The driver rejects names it does not know at start.
 */
export const bacnetPropertySchema = z.union([
  z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected a property name such as "present-value"'),
  z.number().int().min(0).max(4_194_303),
]);

/**
 * A point read from one property of one BACnet object. Values of analog objects are REAL, binary
 * objects read 0 (inactive) or 1 (active), multi-state objects read their state number from 1.
 */
export const bacnetPointSchema = pointBaseSchema.extend({
  objectType: bacnetObjectTypeSchema,
  instance: z.number().int().min(0).max(BACNET_MAX_INSTANCE),
  property: bacnetPropertySchema.default('present-value'),
  /** Priority of writes: 8 is manual operator, 16 the lowest (schedules). */
  writePriority: z.number().int().min(1).max(16).default(8),
  /** Whether the driver subscribes to change-of-value notifications for this object. */
  cov: z.boolean().default(false),
});
export type BacnetPoint = z.infer<typeof bacnetPointSchema>;

const macPattern = /^[0-9a-f]{2}(:[0-9a-f]{2}){0,6}$/i;

/**
 * How to reach a BACnet device. Without `address` the driver finds the device with a Who-Is for its
 * instance sent to `broadcastAddress`. `network` and `mac` address a device behind a router, whose
 * address `address` then is.
 */
/** `host` or `host:port` with a UDP port from 1 to 65535. */
const hostAndPortSchema = z
  .string()
  .regex(/^[^\s:]+(:\d{1,5})?$/, 'expected "host" or "host:port"')
  .refine((text) => {
    const port = text.includes(':') ? Number(text.split(':')[1]) : 47808;
    return port >= 1 && port <= 65535;
  }, 'expected a UDP port from 1 to 65535 after ":"');

export const bacnetConnectionSchema = z
  .strictObject({
    deviceInstance: z.number().int().min(0).max(BACNET_MAX_INSTANCE),
    /** `host` or `host:port` of the device (or of its router); the port defaults to 47808. */
    address: hostAndPortSchema.optional(),
    /** BACnet network number of a routed device. */
    network: z.number().int().min(1).max(65534).optional(),
    /** MAC address of a routed device on its network, as hex bytes: "0a" (MS/TP) or "c0:a8:01:0a:ba:c0". */
    mac: z.string().regex(macPattern, 'expected 1 to 7 hex bytes separated by ":"').optional(),
    /**
     * UDP port the edge's client binds. Devices with the same `localPort` share one client. The
     * client must not use the device's port on the same host.
     */
    localPort: z.number().int().min(1).max(65535).default(47808),
    /** Address the client binds; `0.0.0.0` receives broadcasts such as I-Am. */
    localAddress: z.string().min(1).default('0.0.0.0'),
    /** `host` or `host:port` that Who-Is goes to when `address` is not set. */
    broadcastAddress: hostAndPortSchema.default('255.255.255.255'),
    apduTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
    /** Retries of a confirmed request after an APDU timeout. */
    retries: z.number().int().min(0).max(10).default(1),
    /** Largest APDU the device accepts, in octets; read from the device at start when not set. */
    maxApduLength: z.literal(bacnetMaxApduLengths).optional(),
    /** Whether the device can send a segmented reply; read from the device at start when not set. */
    segmentation: z.boolean().optional(),
    /** Lifetime of COV subscriptions, in seconds; the driver renews them at half the lifetime. */
    covLifetimeS: z.number().int().min(2).max(86_400).default(300),
  })
  .refine((connection) => (connection.network === undefined) === (connection.mac === undefined), {
    message: 'set both "network" and "mac" for a routed device, or neither',
    path: ['network'],
  });
export type BacnetConnection = z.infer<typeof bacnetConnectionSchema>;
