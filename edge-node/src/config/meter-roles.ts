import type { AnyPoint, Device } from '@simtestlab/sync';

/**
 * Sets the meter role of each point that the device's `roles` map names. Template and SunSpec points
 * get their roles this way, because the site file does not write them out.
 */
export function withMeterRoles<P extends AnyPoint>(device: Pick<Device, 'roles'>, points: readonly P[]): P[] {
  const { roles } = device;
  if (roles === undefined) return [...points];
  return points.map((point) => {
    const role = roles[point.key];
    return role === undefined ? point : { ...point, role };
  });
}
