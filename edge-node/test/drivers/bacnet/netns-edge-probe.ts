/**
 * Runs inside the edge namespace of bacnet-discovery.netns.test.ts: discovers the devices of the
 * other namespace by broadcast Who-Is, lists the objects of one, and reads a device found by its
 * instance alone. Prints one JSON line with the results.
 */
import { deviceSchema } from '@simtestlab/sync';
import pino from 'pino';
import { createBacnetDriver, discoverDevices, listDeviceObjects } from '../../../src/drivers/bacnet';

const [broadcast, firstPort, secondPort, localPort] = process.argv.slice(2);
const logger = pino({ level: 'warn' }, pino.destination(2));
const targets = [`${broadcast}:${firstPort}`, `${broadcast}:${secondPort}`];
const common = { localPort: Number(localPort), targets, waitMs: 800, logger };

const all = await discoverDevices(common);
const lowRange = await discoverDevices({ ...common, lowLimit: 1000, highLimit: 1999 });
const highRange = await discoverDevices({ ...common, lowLimit: 2000, highLimit: 2999 });
const oneSegment = await discoverDevices({ ...common, targets: [targets[1]!] });
const zone = all.find((device) => device.deviceInstance === 2002);
const objects = zone ? await listDeviceObjects({ device: zone, localPort: Number(localPort), apduTimeoutMs: 500, logger }) : [];

const device = deviceSchema.parse({
  key: 'boiler',
  driver: 'bacnet',
  connection: { deviceInstance: 1001, broadcastAddress: targets[0], localPort: Number(localPort), apduTimeoutMs: 500 },
  points: [{ key: 'sensor_2', objectType: 'analog-input', instance: 2 }],
});
const driver = createBacnetDriver(device, { logger, onReadings: () => undefined });
await driver.start();
const readings = await driver.read();
await driver.stop();

process.stdout.write(`${JSON.stringify({ all, lowRange, highRange, oneSegment, objects, readings })}\n`);
