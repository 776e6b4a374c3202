import type { z } from '@hono/zod-openapi';
import { bacnetPointSchema, modbusPointSchema, mqttPointSchema, type AnyPoint, type DriverName } from '@simtestlab/sync';
import { HttpError } from '../api/http-error';
import { invalidRequest } from '../api/openapi';

/** The point schema of each driver; `satisfies` makes a new driver in the shared model fail to compile here. */
const pointSchemas = {
  'modbus-tcp': modbusPointSchema,
  'modbus-rtu': modbusPointSchema,
  mqtt: mqttPointSchema,
  bacnet: bacnetPointSchema,
} satisfies Record<DriverName, z.ZodType<AnyPoint>>;

/**
 * Validates a point upsert body against the point schema of the device's driver. The body's `key` may
 * be omitted and then defaults to `pathKey`; a different key raises 400, so the path always names the
 * point that changes.
 */
export function parsePointBody(body: Record<string, unknown>, pathKey: string, driver: DriverName): AnyPoint {
  if (body.key !== undefined && body.key !== pathKey) {
    const message = `${JSON.stringify(body.key)} differs from the pointKey "${pathKey}" in the path. Omit key or send the same value`;
    throw new HttpError(400, 'invalid_request', `key: ${message}`, { parameter: 'key', issues: [{ path: 'key', message }] });
  }
  const result = pointSchemas[driver].safeParse({ ...body, key: pathKey });
  if (!result.success) throw invalidRequest(result.error);
  return result.data;
}
