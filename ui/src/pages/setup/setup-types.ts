import type { components } from '../../api/generated/edge-api';

/* Bodies of the edge node's `/api/setup/*` routes, from the generated edge API types. */

type Schemas = components['schemas'];

/** The site chosen in setup: paired with a hub, or standalone. */
export type SetupSite = NonNullable<Schemas['SetupSite']>;
/** `GET /api/setup/status`: what setup has done so far. */
export type SetupStatus = Schemas['SetupStatus'];
/** `GET /api/setup/scan/{scanId}`: progress and the devices found so far. */
export type ScanResult = Schemas['SetupScanJob'];
export type FoundDevice = ScanResult['found'][number];
export type FoundModbusDevice = Extract<FoundDevice, { protocol: 'modbus-tcp' }>;
export type FoundBacnetDevice = Extract<FoundDevice, { protocol: 'bacnet' }>;
export type DeviceProtocol = FoundDevice['protocol'];
/** The body of `POST /api/setup/scan`. */
export interface ScanRequest {
  cidr: string;
  modbusPorts?: number[];
  unitIds?: number[];
  bacnet?: boolean;
  bacnetPort?: number;
}
/** A device template of the edge's registry. */
export type SetupTemplate = Schemas['SetupTemplate'];
/** One device of `POST /api/setup/devices`. */
export type SetupDeviceRequest = Schemas['SetupDevicePick'];
/** `POST /api/setup/pair` on success. */
export type PairResult = Schemas['SetupPairResponse'];
