import { z } from 'zod';
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

export const mqttPointSchema = pointBaseSchema.extend({
  topic: z.string().min(1),
  /** Dotted path into a JSON payload (`a.b[2].c`); without it the payload is a plain number. */
  path: z.string().min(1).optional(),
});
export type MqttPoint = z.infer<typeof mqttPointSchema>;

const timeoutMsSchema = z.number().int().min(50).max(60_000);
const pollIntervalMsSchema = z.number().int().min(100).max(86_400_000);

const modbusCommon = {
  unitId: z.number().int().min(0).max(255).default(1),
  /** Unit ids a reply may carry besides `unitId`, for gateways that answer with 0 or 255. */
  acceptUnitIds: z.array(z.number().int().min(0).max(255)).default([]),
  timeoutMs: timeoutMsSchema.default(1000),
  /** Largest block read; the protocol allows 125 registers, some devices less. */
  maxBlockRegisters: z.number().int().min(1).max(125).default(125),
};

/**
 * SunSpec discovery: the driver reads the `SunS` marker at `baseAddress` and walks the model chain,
 * building points from the models it knows. `models` limits which models become points.
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

export const mqttConnectionSchema = z.strictObject({
  /** Broker URL; when omitted the site's broker is used. */
  url: z.string().url().optional(),
  /** Seconds without a message after which a point's value is reported stale. */
  staleAfterS: z.number().int().positive().default(120),
});

const deviceCommon = {
  key: deviceKeySchema,
  name: z.string().min(1).max(200).optional(),
  enabled: z.boolean().default(true),
  pollIntervalMs: pollIntervalMsSchema.default(5000),
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
export type ModbusTcpDevice = z.infer<typeof modbusTcpDeviceSchema>;
export type ModbusRtuDevice = z.infer<typeof modbusRtuDeviceSchema>;
export type ModbusDevice = ModbusTcpDevice | ModbusRtuDevice;
export type MqttDevice = z.infer<typeof mqttDeviceSchema>;
export type BacnetDevice = z.infer<typeof bacnetDeviceSchema>;
export type AnyPoint = Device['points'][number];
