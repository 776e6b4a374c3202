import type { Device } from '@simtestlab/sync';
import { createBacnetDriver } from './bacnet';
import type { Driver, DriverContext, DriverFactory, DriverName } from './driver';
import { createModbusDriver } from './modbus';
import { createMqttDriver } from './mqtt';

/** Drivers by the name a device's `driver` field uses. */
const factories: Record<DriverName, DriverFactory> = {
  'modbus-tcp': createModbusDriver,
  'modbus-rtu': createModbusDriver,
  mqtt: createMqttDriver,
  bacnet: createBacnetDriver,
};

export function createDriver(device: Device, context: DriverContext): Driver {
  return factories[device.driver](device, context);
}
