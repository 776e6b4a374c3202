import { z } from '@hono/zod-openapi';
import { bacnetPointSchema, deviceSchema, driverNames, modbusPointSchema, mqttPointSchema } from '@simtestlab/sync';

/*
 * The shared schemas get their OpenAPI names from zod's own `.meta({ id })`. Calling `.openapi()` on them
 * can fail, because zod 4 copies prototype methods onto each schema when it builds it, and `sync` may
 * build its schemas before @hono/zod-openapi adds `.openapi` to the prototype.
 */

/** The shared device model with its points, the same schema the edge node validates its site file with. */
export const deviceModelSchema = deviceSchema.meta({ id: 'Device' });

const modbusPointModelSchema = modbusPointSchema.meta({ id: 'ModbusPoint' });
const mqttPointModelSchema = mqttPointSchema.meta({ id: 'MqttPoint' });
const bacnetPointModelSchema = bacnetPointSchema.meta({ id: 'BacnetPoint' });

/** A point of any driver, as the shared model defines it. */
export const pointModelSchema = z.union([modbusPointModelSchema, mqttPointModelSchema, bacnetPointModelSchema]).openapi('Point');

/** Rejects two points with one key in a device: the points table, like the edge node, keys points by device and key. */
function rejectDuplicatePointKeys(body: { device: { points: { key: string }[] } }, context: z.RefinementCtx): void {
  const seen = new Set<string>();
  body.device.points.forEach((point, index) => {
    if (seen.has(point.key)) {
      context.addIssue({ code: 'custom', path: ['device', 'points', index, 'key'], message: `duplicate point key "${point.key}": keys must be unique in a device` });
    }
    seen.add(point.key);
  });
}

export const deviceBodySchema = z
  .strictObject({
    nodeId: z.uuid().nullable().optional().openapi({
      description: 'Building, area or system of the same site that the device belongs to, or null (the default) for none',
    }),
    device: deviceModelSchema,
  })
  .superRefine(rejectDuplicatePointKeys)
  .openapi('DeviceBody');

export const deviceRecordSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    organizationId: z.string(),
    nodeId: z.string().nullable(),
    device: deviceModelSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('DeviceRecord');

export const deviceSummarySchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    organizationId: z.string(),
    nodeId: z.string().nullable(),
    key: z.string(),
    name: z.string().nullable(),
    driver: z.enum(driverNames),
    enabled: z.boolean(),
    pointCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('DeviceSummary');

export const deviceListSchema = z.object({ devices: z.array(deviceSummarySchema) }).openapi('DeviceList');

export const pointListSchema = z
  .object({
    deviceId: z.string(),
    driver: z.enum(driverNames),
    /** In the order of the device's `points` list. */
    points: z.array(pointModelSchema),
  })
  .openapi('PointList');

/**
 * The body of a point upsert. The route accepts any object here because the schema that applies
 * depends on the device's driver, which is known only once the device is loaded. The handler then
 * validates the body against that driver's point schema.
 */
export const pointBodySchema = z.looseObject({}).openapi('PointBody', {
  description:
    "A point in the schema of the device's driver: ModbusPoint for modbus-tcp and modbus-rtu, MqttPoint for mqtt, BacnetPoint for bacnet. " +
    "`key` may be omitted, and when present it must equal the path's pointKey.",
  anyOf: [
    { $ref: '#/components/schemas/ModbusPoint' },
    { $ref: '#/components/schemas/MqttPoint' },
    { $ref: '#/components/schemas/BacnetPoint' },
  ],
});
