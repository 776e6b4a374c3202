import { createInterface } from 'node:readline';
import { sampleSchema, deviceStatusSchema } from '@simtestlab/sync';
import { z } from 'zod';
import { loadCredential } from '../../src/cloud/credential';
import { HubClient } from '../../src/cloud/hub-client';
import { LinkStatus } from '../../src/cloud/link-status';
import { startLiveUplink } from '../../src/cloud/live-uplink';
import { LiveHub } from '../../src/live/live-hub';
import { createLogger } from '../../src/logger';

/*
 * A paired edge's live path as a process, for the hub's relay tests: a LiveHub feeding the real live
 * uplink, with the credential of the data folder given as the first argument. Each JSON line on
 * standard input is published on the LiveHub; log lines go to standard output.
 *
 *   node --import tsx test/cloud/uplink-driver.ts DATA_DIR
 */

const commandSchema = z.union([
  z.object({ sample: sampleSchema }),
  z.object({ deviceStatus: z.object({ device: z.string(), status: deviceStatusSchema, ts: z.number().int() }) }),
]);

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: uplink-driver.ts DATA_DIR');
const logger = createLogger({ name: 'uplink-driver', level: 'debug' });
const hub = new LiveHub(logger);
const uplink = startLiveUplink({
  client: await HubClient.create(loadCredential(dataDir)),
  hub,
  status: new LinkStatus(),
  logger,
  initialBackoffMs: 200,
  maxBackoffMs: 2_000,
});

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = commandSchema.parse(JSON.parse(line));
  if ('sample' in command) hub.publish(command.sample);
  else hub.publishDeviceStatus(command.deviceStatus.device, command.deviceStatus.status, command.deviceStatus.ts);
});
process.once('SIGTERM', () => {
  void uplink.stop().then(() => process.exit(0));
});
