/** The BACnet/IP driver; `createBacnetDriver` is the DriverFactory for 'bacnet' devices. */
export { BacnetDriver, createBacnetDriver, type BacnetDriverOptions } from './bacnet-driver';
export { BacnetAbortError, BacnetErrorResponse, BacnetInvalidReplyError, BacnetRejectError } from './bacnet-errors';
export { discoverDevices, listDeviceObjects, type DiscoveryOptions, type ListObjectsOptions } from './discovery';
export type { DeviceObjectSummary } from './object-summaries';
export type { DiscoveredDevice } from './shared-client';
export type { PriorityArraySnapshot, WriteValue } from './write-point';
