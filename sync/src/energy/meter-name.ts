/**
 * Returns the name a report shows for a meter point: the point's own name, else its device's name (or
 * key) followed by the point key. The edge and the hub both use it, so their reports name meters alike.
 */
export function meterDisplayName(point: { key: string; name?: string | null | undefined }, device: { key: string; name?: string | null | undefined }): string {
  return point.name ?? `${device.name ?? device.key} ${point.key}`;
}
