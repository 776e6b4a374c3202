import { isFaultyReading } from '@simtestlab/sync';
import type { DeviceLiveStatus } from '../../site/site-context';
import type { Reading } from '../../live/live-values';
import type { DeviceState, SiteDevice, SitePoint } from '../../site/site-api';

/**
 * Returns the state to show for a device: a disabled device stays disabled, otherwise the live stream's
 * status wins over the one loaded over HTTP, because it is newer.
 */
export function deviceStateOf(device: SiteDevice, live: DeviceLiveStatus | undefined): DeviceState {
  if (device.status === 'disabled') return 'disabled';
  return live?.status ?? device.status;
}

/** Returns the last error to show for a device: the live stream's while the device is offline, else the loaded one. */
export function deviceErrorOf(device: SiteDevice, live: DeviceLiveStatus | undefined): string | null {
  if (live?.status === 'online') return null;
  return live?.error ?? device.lastError;
}

/** Counts the points of `device` whose latest reading, live or as loaded, shows a fault. */
export function countBadPoints(device: string, points: readonly SitePoint[], latest: Readonly<Record<string, Reading>>): number {
  return points.filter((point) => point.device === device && isFaultyReading(latest[point.id] ?? point.reading)).length;
}
