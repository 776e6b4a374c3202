import { parsePointId, type AnyPoint, type Device } from '@simtestlab/sync';
import type { Driver } from '../drivers/driver';
import type { PointRegistry } from '../store/point-registry';

/** A point the edge may control, with its device and the device's driver once started. */
export interface ControlTarget {
  pointId: string;
  device: Device;
  point: AnyPoint;
  /** The started driver, or undefined while the device has not connected yet. */
  driver(): Driver | undefined;
}

/** Finds the point behind a `device.point` id. */
export type ControlTargets = (pointId: string) => ControlTarget | undefined;

/**
 * Resolves points of the configured devices, SunSpec points discovered by their driver included.
 * Points of devices that are no longer in the site file are unknown.
 */
export function controlTargets(options: {
  devices: readonly Device[];
  registry: PointRegistry;
  driverOf: (deviceKey: string) => Driver | undefined;
}): ControlTargets {
  const devices = new Map(options.devices.map((device) => [device.key, device]));
  return (pointId) => {
    const parsed = parsePointId(pointId);
    const device = parsed && devices.get(parsed.device);
    if (!parsed || !device) return undefined;
    // Configured points first. A SunSpec device's discovered points are known only to the registry, and
    // a point removed from the site file may still be stored there, so only SunSpec devices look there.
    const configured = device.points.find((candidate) => candidate.key === parsed.point);
    const discovered = 'sunspec' in device && device.sunspec ? options.registry.get(pointId)?.definition : undefined;
    const point = configured ?? discovered;
    if (!point) return undefined;
    return { pointId, device, point, driver: () => options.driverOf(device.key) };
  };
}
