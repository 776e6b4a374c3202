import { z } from 'zod';
import { meterRoleSchema } from '../energy/meter-role';
import { bacnetConnectionSchema, bacnetPointSchema } from './bacnet';
import { deviceKeySchema, pointBaseSchema, pointKeySchema, wordOrderSchema } from './point';

/** Modbus data tables, named as in the Modbus application protocol specification v1.1b3. */
export const modbusTables = ['coil', 'discrete-input', 'input-register', 'holding-register'] as const;
export const modbusTableSchema = z.enum(modbusTables);
export type ModbusTable = z.infer<typeof modbusTableSchema>;

/** A point read from a Modbus table. `address` is always the 0-based protocol address here. */
export const modbusPointSchema = pointBaseSchema.extend({
  table: modbusTableSchema.default('holding-register'),
  address: z.number().int().min(0).max(65535),
  /** Registers a `string` occupies; numeric types take theirs from the data type. */
  length: z.number().int().min(1).max(125).optional(),
  wordOrder: wordOrderSchema.optional(),
  /** Key of the SunSpec scale-factor point (sunssf) whose power of ten multiplies the raw value. */
  scaleFactor: pointKeySchema.optional(),
  /** Whether the SunSpec "not implemented" sentinels of this data type read as null. */
  sentinels: z.boolean().default(true),
});
export type ModbusPoint = z.infer<typeof modbusPointSchema>;

/**
 * Path to a value in a JSON payload: object keys joined by `.`, each optionally followed by `[n]`
 * array indexes, or starting with an index (`a.b[2].c`, `v[1]`, `[0].value`). A key may contain any
 * character except `.`, `[` and `]`.
 */
export const mqttPayloadPathSchema = z
  .string()
  .regex(
    /^(?:[^.[\]]+|\[\d+\])(?:\.[^.[\]]+|\[\d+\])*$/,
    'invalid path: expected keys joined by "." with optional [n] array indexes, such as "a.b[2].c" or "[0].value"',
  );

export const mqttPointSchema = pointBaseSchema.extend({
  topic: z.string().min(1),
  /** Path into a JSON payload; without it the whole payload is the value. */
  path: mqttPayloadPathSchema.optional(),
});
export type MqttPoint = z.infer<typeof mqttPointSchema>;

const timeoutMsSchema = z.number().int().min(50).max(60_000);
const pollIntervalMsSchema = z.number().int().min(100).max(86_400_000);

/** Poll interval of a device whose definition gives none. */
export const DEFAULT_POLL_INTERVAL_MS = 5000;

const modbusCommon = {
  unitId: z.number().int().min(0).max(255).default(1),
  /** Unit ids a reply may carry besides `unitId`, for gateways that reply with 0 or 255. */
  acceptUnitIds: z.array(z.number().int().min(0).max(255)).default([]),
  timeoutMs: timeoutMsSchema.default(1000),
  /** Largest block read; the protocol allows 125 registers, some devices less. */
  maxBlockRegisters: z.number().int().min(1).max(125).default(125),
};

/**
 * SunSpec discovery: the driver reads the `SunS` marker at `baseAddress` and walks the model chain,
 * building points from the models shipped with it. `models` limits which models become points.
 */
export const sunspecDiscoverySchema = z.strictObject({
  baseAddress: z.number().int().min(0).max(65535).default(40000),
  models: z.array(z.number().int().min(1).max(65535)).optional(),
});
export type SunspecDiscovery = z.infer<typeof sunspecDiscoverySchema>;

export const modbusTcpConnectionSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(502),
  ...modbusCommon,
});

export const modbusRtuConnectionSchema = z.strictObject({
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  ...modbusCommon,
});

/** Schemes of an MQTT broker URL: MQTT over TCP, over TLS, over WebSocket and over secure WebSocket. */
export const mqttUrlSchemes = ['mqtt:', 'mqtts:', 'ws:', 'wss:'] as const;

const mqttUrlExample = 'such as mqtt://127.0.0.1:1883';

/** An MQTT broker URL: scheme mqtt://, mqtts://, ws:// or wss:// and a host, with optional port and credentials. */
export const mqttUrlSchema = z.string().superRefine((text, context) => {
  const schemes = 'mqtt://, mqtts://, ws:// or wss://';
  let message: string | undefined;
  if (!text.includes('://')) {
    message = `missing URL scheme: expected the broker URL to start with ${schemes}, ${mqttUrlExample}`;
  } else if (!URL.canParse(text)) {
    message = `invalid URL: expected ${schemes}, a host and an optional port from 1 to 65535, ${mqttUrlExample}`;
  } else {
    const url = new URL(text);
    if (!(mqttUrlSchemes as readonly string[]).includes(url.protocol)) {
      message = `unsupported URL scheme "${url.protocol}": expected ${schemes}, ${mqttUrlExample}`;
    } else if (url.hostname === '') {
      message = `missing host in the broker URL: expected ${url.protocol}//HOST[:PORT], ${mqttUrlExample}`;
    }
  }
  if (message !== undefined) context.addIssue({ code: 'custom', message });
});

export const mqttConnectionSchema = z.strictObject({
  /** Broker URL; when omitted the site's broker is used. */
  url: mqttUrlSchema.optional(),
  /** Seconds without a message after which a point's value is reported stale. */
  staleAfterS: z.number().int().positive().default(120),
});

const deviceCommon = {
  key: deviceKeySchema,
  name: z.string().min(1).max(200).optional(),
  enabled: z.boolean().default(true),
  pollIntervalMs: pollIntervalMsSchema.default(DEFAULT_POLL_INTERVAL_MS),
  /**
   * Meter roles by point key (such as `m203.W`), for points that a template defines or discovery
   * finds. A point written out in `points` can set `role` itself; an entry here overrides it.
   */
  roles: z.record(pointKeySchema, meterRoleSchema).optional(),
};

export const modbusTcpDeviceSchema = z.strictObject({
  ...deviceCommon,
  driver: z.literal('modbus-tcp'),
  connection: modbusTcpConnectionSchema,
  sunspec: sunspecDiscoverySchema.optional(),
  points: z.array(modbusPointSchema).default([]),
});

export const modbusRtuDeviceSchema = z.strictObject({
  ...deviceCommon,
  driver: z.literal('modbus-rtu'),
  connection: modbusRtuConnectionSchema,
  sunspec: sunspecDiscoverySchema.optional(),
  points: z.array(modbusPointSchema).default([]),
});

export const mqttDeviceSchema = z.strictObject({
  ...deviceCommon,
  driver: z.literal('mqtt'),
  connection: mqttConnectionSchema.default({ staleAfterS: 120 }),
  points: z.array(mqttPointSchema).default([]),
});

export const bacnetDeviceSchema = z.strictObject({
  ...deviceCommon,
  driver: z.literal('bacnet'),
  connection: bacnetConnectionSchema,
  points: z.array(bacnetPointSchema).default([]),
});

/** A device with its points resolved: what drivers, the store and the cloud work with. */
export const deviceSchema = z.discriminatedUnion('driver', [
  modbusTcpDeviceSchema,
  modbusRtuDeviceSchema,
  mqttDeviceSchema,
  bacnetDeviceSchema,
]);
export type Device = z.infer<typeof deviceSchema>;
export type DriverName = Device['driver'];
/** The `driver` values a device may have. */
export const driverNames: readonly DriverName[] = deviceSchema.options.map((option) => option.shape.driver.value);
export type ModbusTcpDevice = z.infer<typeof modbusTcpDeviceSchema>;
export type ModbusRtuDevice = z.infer<typeof modbusRtuDeviceSchema>;
export type ModbusDevice = ModbusTcpDevice | ModbusRtuDevice;
export type MqttDevice = z.infer<typeof mqttDeviceSchema>;
export type BacnetDevice = z.infer<typeof bacnetDeviceSchema>;
export type AnyPoint = Device['points'][number];
