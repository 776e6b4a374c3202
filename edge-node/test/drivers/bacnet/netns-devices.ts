/**
 * Runs inside the device namespace of bacnet-discovery.netns.test.ts: two simulated BACnet devices
 * bound to 0.0.0.0, so they receive broadcast Who-Is. Prints one JSON line once both listen and
 * stops on SIGTERM.
 */
import { EngineeringUnits } from '@bacnet-js/client';
import pino from 'pino';
import { startBacnetDevice } from '../../../src/simulate/bacnet/bacnet-device-server';
import { SimulatedObject } from '../../../src/simulate/bacnet/simulated-object';

const [firstPort, secondPort] = process.argv.slice(2).map(Number);
const logger = pino({ level: 'warn' }, pino.destination(2));

function objects(count: number, offset: number): SimulatedObject[] {
  return Array.from(
    { length: count },
    (_, index) =>
      new SimulatedObject({
        objectType: 'analog-input',
        instance: index + 1,
        name: `Sensor ${index + 1}`,
        units: EngineeringUnits.DEGREES_CELSIUS,
        source: () => offset + index,
      }),
  );
}

const devices = [
  await startBacnetDevice({ host: '0.0.0.0', port: firstPort!, deviceInstance: 1001, deviceName: 'Boiler room', objects: objects(3, 50), logger }),
  // A device that cannot segment, with more objects than one 206-octet reply holds.
  await startBacnetDevice({ host: '0.0.0.0', port: secondPort!, deviceInstance: 2002, deviceName: 'Zone controller', objects: objects(60, 20), maxApduLength: 206, logger }),
];
process.stdout.write(`${JSON.stringify({ listening: devices.map((device) => device.endpoint) })}\n`);
process.once('SIGTERM', () => {
  void Promise.all(devices.map((device) => device.stop())).then(() => process.exit(0));
});
