import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteAndAuditRulesOf } from '../alarms/rule-store';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, notFound } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { requireDevice } from './device-access';
import { pointAuditState, pointDefinition, toDeviceModel } from './device-rows';
import { touchDevice } from './device-store';
import { deletePoint, findPointForUpdate, loadPoints, nextPointPosition, upsertPoint } from './point-store';
import { parsePointBody } from './point-validation';
import { pointBodySchema, pointListSchema, pointModelSchema } from './schemas';

const deviceParams = z.object({ deviceId: idParam('deviceId') });
const pointParams = z.object({
  deviceId: idParam('deviceId'),
  pointKey: z.string().openapi({ param: { name: 'pointKey', in: 'path' }, example: 'm103.W' }),
});
const pointContent = { 'application/json': { schema: pointModelSchema } };

const listPointsRoute = createRoute({
  method: 'get',
  path: '/api/devices/{deviceId}/points',
  tags: ['devices'],
  summary: "List a device's points in the shared model of its driver",
  security: bearerSecurity,
  request: { params: deviceParams },
  responses: { 200: { description: 'Points', content: { 'application/json': { schema: pointListSchema } } }, ...errorResponses(401, 404) },
});

const putPointRoute = createRoute({
  method: 'put',
  path: '/api/devices/{deviceId}/points/{pointKey}',
  tags: ['devices'],
  summary: "Add or replace one point of a device, in the point schema of the device's driver (site managers and up)",
  description: 'A new point goes after the last one, and a replaced point keeps its position.',
  security: bearerSecurity,
  request: { params: pointParams, body: { required: true, content: { 'application/json': { schema: pointBodySchema } } } },
  responses: {
    200: { description: 'The replaced point', content: pointContent },
    201: { description: 'The new point', content: pointContent },
    ...errorResponses(400, 401, 403, 404),
  },
});

const deletePointRoute = createRoute({
  method: 'delete',
  path: '/api/devices/{deviceId}/points/{pointKey}',
  tags: ['devices'],
  summary: 'Delete one point of a device (site managers and up)',
  security: bearerSecurity,
  request: { params: pointParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

/** Registers the routes that read and change single points of a device. */
export function registerPointRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listPointsRoute, async (c) => {
    const { caller } = c.var;
    const { deviceId } = c.req.valid('param');
    const device = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const { row } = await requireDevice(tx, caller, deviceId, 'dashboard.view');
      return toDeviceModel(row, await loadPoints(tx, row));
    });
    return c.json({ deviceId, driver: device.driver, points: device.points }, 200);
  });

  app.openapi(putPointRoute, async (c) => {
    const { caller } = c.var;
    const { deviceId, pointKey } = c.req.valid('param');
    const body = c.req.valid('json');
    const { point, created } = await runChange(deps, c, async ({ tx, audit }) => {
      const { row: device, site } = await requireDevice(tx, caller, deviceId, 'site.manage', { lock: true });
      const point = parsePointBody(body, pointKey, device.driver);
      const existing = await findPointForUpdate(tx, device, pointKey);
      const position = existing?.position ?? (await nextPointPosition(tx, device));
      const stored = await upsertPoint(tx, device, point, position);
      await touchDevice(tx, device);
      await audit({
        action: 'point.upsert',
        targetType: 'point',
        targetId: stored.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: existing === undefined ? null : pointAuditState(device, pointDefinition(existing)),
        after: pointAuditState(device, point),
      });
      return { point, created: existing === undefined };
    });
    return created ? c.json(point, 201) : c.json(point, 200);
  });

  app.openapi(deletePointRoute, async (c) => {
    const { caller } = c.var;
    const { deviceId, pointKey } = c.req.valid('param');
    await runChange(deps, c, async ({ tx, audit }) => {
      const { row: device, site } = await requireDevice(tx, caller, deviceId, 'site.manage', { lock: true });
      const existing = await findPointForUpdate(tx, device, pointKey);
      if (existing === undefined) throw notFound('point', `${pointKey} of device ${deviceId}`);
      await deleteAndAuditRulesOf({ tx, audit }, site, { pointId: existing.id }, `point ${device.key}.${pointKey} deleted`);
      await deletePoint(tx, existing, device);
      await touchDevice(tx, device);
      await audit({
        action: 'point.delete',
        targetType: 'point',
        targetId: existing.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: pointAuditState(device, pointDefinition(existing)),
      });
    });
    return c.body(null, 204);
  });
}
