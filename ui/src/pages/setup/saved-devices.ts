import { toDeviceRequests, type DeviceRow } from './device-rows';
import type { SetupDeviceRequest } from './setup-types';

/*
 * The devices saved on the edge node, as the review shows them. The node's status returns only their
 * number, so the wizard keeps the list of its last successful save and trusts it while the count agrees.
 */

/**
 * Returns the devices of this tab's last save when the node reports the same number of devices, or
 * null when the names are unknown: nothing saved in this tab, or another tab saved since.
 */
export function knownSavedDevices(saved: readonly SetupDeviceRequest[] | null, savedCount: number): SetupDeviceRequest[] | null {
  // NOTE: another tab that saves the same number of different devices goes unnoticed, because the
  // status has no names to compare.
  return saved !== null && saved.length === savedCount ? [...saved] : null;
}

/** Turns saved devices back into ticked table rows, so the devices step after a reload shows them. */
export function rowsFromSaved(saved: readonly SetupDeviceRequest[]): DeviceRow[] {
  return saved.map((device, index) => ({
    key: `saved-${index + 1}`,
    selected: true,
    name: device.name,
    template: device.template,
    protocol: device.protocol,
    host: device.host ?? device.address ?? '',
    port: device.port,
    unitId: device.unitId,
    deviceInstance: device.deviceInstance,
    details: 'Saved in this setup',
    suggestedTemplates: [],
  }));
}

function signature(device: SetupDeviceRequest): string {
  return JSON.stringify([device.protocol, device.name, device.template, device.host ?? device.address, device.port, device.unitId ?? null, device.deviceInstance ?? null]);
}

/**
 * Returns whether the ticked rows differ from the saved devices. With unknown saved devices, only
 * ticked rows count as a change, because leaving then keeps what the node has.
 */
export function hasUnsavedChanges(rows: readonly DeviceRow[], saved: readonly SetupDeviceRequest[] | null): boolean {
  const chosenSignatures = toDeviceRequests(rows).map(signature);
  if (saved === null) return chosenSignatures.length > 0;
  const savedSignatures = saved.map(signature);
  return chosenSignatures.length !== savedSignatures.length || chosenSignatures.some((entry, index) => entry !== savedSignatures[index]);
}
