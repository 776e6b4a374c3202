import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireSite } from '../access/guards';
import { deleteAndAuditRulesOf } from '../alarms/rule-store';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { deviceForRole } from './connection-secrets';
import { requireDevice } from './device-access';
import { deviceAuditState, toDeviceModel, toDeviceRecord, toDeviceSummary } from './device-rows';
import { deleteDevice, insertDevice, listDevices, requireNodeOfSite, updateDevice } from './device-store';
import { registerPointRoutes } from './point-routes';
import { loadPoints, replacePoints } from './point-store';
import { deviceBodySchema, deviceListSchema, deviceRecordSchema } from './schemas';

const siteParams = z.object({ siteId: idParam('siteId') });
const deviceParams = z.object({ deviceId: idParam('deviceId') });
const deviceBody = { required: true, content: { 'application/json': { schema: deviceBodySchema } } };
const deviceRecordContent = { 'application/json': { schema: deviceRecordSchema } };

const listDevicesRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/devices',
  tags: ['devices'],
  summary: "List a site's devices by key, without their points",
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'Devices', content: { 'application/json': { schema: deviceListSchema } } }, ...errorResponses(401, 404) },
});

const createDeviceRoute = createRoute({
  method: 'post',
  path: '/api/sites/{siteId}/devices',
  tags: ['devices'],
  summary: 'Add a device with its points to a site (site managers and up)',
  security: bearerSecurity,
  request: { params: siteParams, body: deviceBody },
  responses: { 201: { description: 'The new device', content: deviceRecordContent }, ...errorResponses(400, 401, 403, 404, 409) },
});

const getDeviceRoute = createRoute({
  method: 'get',
  path: '/api/devices/{deviceId}',
  tags: ['devices'],
  summary: 'Read a device with its points in the shared device model',
  description: "Callers below site manager at the device's site get `***` in place of any password in a connection URL.",
  security: bearerSecurity,
  request: { params: deviceParams },
  responses: { 200: { description: 'The device', content: deviceRecordContent }, ...errorResponses(401, 404) },
});

const replaceDeviceRoute = createRoute({
  method: 'put',
  path: '/api/devices/{deviceId}',
  tags: ['devices'],
  summary: 'Replace a device and all its points; the driver may change (site managers and up)',
  description: 'An omitted nodeId detaches the device from its node, as the whole device is replaced.',
  security: bearerSecurity,
  request: { params: deviceParams, body: deviceBody },
  responses: { 200: { description: 'The updated device', content: deviceRecordContent }, ...errorResponses(400, 401, 403, 404, 409) },
});

const deleteDeviceRoute = createRoute({
  method: 'delete',
  path: '/api/devices/{deviceId}',
  tags: ['devices'],
  summary: 'Delete a device and its points (site managers and up)',
  security: bearerSecurity,
  request: { params: deviceParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

/** Registers the device routes and the point routes below them. */
export function registerDeviceRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listDevicesRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const rows = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'dashboard.view');
      return listDevices(tx, site);
    });
    return c.json({ devices: rows.map(toDeviceSummary) }, 200);
  });

  app.openapi(createDeviceRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const { nodeId = null, device } = c.req.valid('json');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      if (nodeId !== null) await requireNodeOfSite(tx, site, nodeId);
      const created = await insertDevice(tx, site, nodeId, device);
      await replacePoints(tx, created, device.points);
      await audit({
        action: 'device.create',
        targetType: 'device',
        targetId: created.id,
        organizationId: site.organizationId,
        siteId: site.id,
        after: deviceAuditState(created, device),
      });
      return created;
    });
    return c.json(toDeviceRecord(row, device), 201);
  });

  app.openapi(getDeviceRoute, async (c) => {
    const { caller } = c.var;
    const { deviceId } = c.req.valid('param');
    const record = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const { row, site } = await requireDevice(tx, caller, deviceId, 'dashboard.view');
      return toDeviceRecord(row, deviceForRole(toDeviceModel(row, await loadPoints(tx, row)), site.role));
    });
    return c.json(record, 200);
  });

  app.openapi(replaceDeviceRoute, async (c) => {
    const { caller } = c.var;
    const { deviceId } = c.req.valid('param');
    const { nodeId = null, device } = c.req.valid('json');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const { row: before, site } = await requireDevice(tx, caller, deviceId, 'site.manage', { lock: true });
      if (nodeId !== null) await requireNodeOfSite(tx, site, nodeId);
      const previous = toDeviceModel(before, await loadPoints(tx, before));
      const after = await updateDevice(tx, before, nodeId, device);
      const kept = new Set(device.points.map((point) => point.key));
      for (const removed of await tx<{ id: string; key: string }[]>`SELECT id, key FROM points WHERE device_id = ${before.id} ORDER BY key`) {
        if (!kept.has(removed.key)) await deleteAndAuditRulesOf({ tx, audit }, site, { pointId: removed.id }, `point ${before.key}.${removed.key} removed from its device`);
      }
      await replacePoints(tx, after, device.points);
      await audit({
        action: 'device.update',
        targetType: 'device',
        targetId: after.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: deviceAuditState(before, previous),
        after: deviceAuditState(after, device),
      });
      return after;
    });
    return c.json(toDeviceRecord(row, device), 200);
  });

  app.openapi(deleteDeviceRoute, async (c) => {
    const { caller } = c.var;
    const { deviceId } = c.req.valid('param');
    await runChange(deps, c, async ({ tx, audit }) => {
      const { row, site } = await requireDevice(tx, caller, deviceId, 'site.manage', { lock: true });
      const previous = toDeviceModel(row, await loadPoints(tx, row));
      await deleteAndAuditRulesOf({ tx, audit }, site, { deviceId: row.id, deviceKey: row.key }, `device ${row.key} deleted`);
      await deleteDevice(tx, row);
      await audit({
        action: 'device.delete',
        targetType: 'device',
        targetId: row.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: deviceAuditState(row, previous),
      });
    });
    return c.body(null, 204);
  });

  registerPointRoutes(app, deps);
}
