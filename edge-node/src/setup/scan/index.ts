/** LAN scan of the setup page: finds Modbus TCP (with SunSpec identity) and BACnet/IP devices on an IPv4 network. */
export { InvalidCidrError, MIN_SCAN_PREFIX, cidrHosts, parseScanCidr } from './cidr';
export { LanScanRegistry } from './scan-registry';
export { InvalidScanRequestError, defaultScanTuning, startLanScan, type LanScanOptions, type LanScanTuning, type ScanJob } from './scan-job';
export { foundDeviceSchema, lanScanRequestSchema, type FoundDevice, type LanScanRequest } from './schemas';
