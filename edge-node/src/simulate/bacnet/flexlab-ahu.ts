import { EngineeringUnits } from '@bacnet-js/client';
import type { BacnetObjectType } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import { loadDataset } from '../datasets/catalog';
import { createReplay, type DatasetReplay, type WallClock } from '../replay';
import { startBacnetDevice, type RunningBacnetDevice } from './bacnet-device-server';
import { SimulatedObject } from './simulated-object';

/** Device instance and UDP port of the FLEXLAB air handler simulator unless options set them. */
export const FLEXLAB_AHU_DEVICE_INSTANCE = 2001;
export const FLEXLAB_AHU_PORT = 47809;

interface AhuObject {
  objectType: BacnetObjectType;
  instance: number;
  name: string;
  /** Column of the FLEXLAB cell A file. */
  column: string;
  units: number;
  commandable?: boolean;
}

/**
 * Objects of the air handler and its zone, one per column of the FLEXLAB cell A file. The data set
 * does not state the units of air flows and loads, so those objects report no-units.
 */
export const flexlabAhuObjects: readonly AhuObject[] = [
  { objectType: 'analog-input', instance: 1, name: 'Zone air temperature', column: 'RA-ZAT', units: EngineeringUnits.DEGREES_CELSIUS },
  { objectType: 'analog-input', instance: 2, name: 'AHU supply air temperature', column: 'RA-AHU-SAT', units: EngineeringUnits.DEGREES_CELSIUS },
  { objectType: 'analog-input', instance: 3, name: 'AHU return air temperature', column: 'RA-AHU-RAT', units: EngineeringUnits.DEGREES_CELSIUS },
  { objectType: 'analog-input', instance: 4, name: 'Supply air flow', column: 'RA-SupAirFlow', units: EngineeringUnits.NO_UNITS },
  { objectType: 'analog-input', instance: 5, name: 'Return air flow', column: 'RA-RetAirFlow', units: EngineeringUnits.NO_UNITS },
  { objectType: 'analog-input', instance: 6, name: 'Chilled water supply temperature', column: 'RA-CHW-SupTemp', units: EngineeringUnits.DEGREES_CELSIUS },
  { objectType: 'analog-input', instance: 7, name: 'Chilled water return temperature', column: 'RA-CHW-RetTemp', units: EngineeringUnits.DEGREES_CELSIUS },
  { objectType: 'analog-input', instance: 8, name: 'Hot water supply temperature', column: 'RA-HW-SupTemp', units: EngineeringUnits.DEGREES_CELSIUS },
  { objectType: 'analog-input', instance: 9, name: 'Hot water return temperature', column: 'RA-HW-RetTemp', units: EngineeringUnits.DEGREES_CELSIUS },
  { objectType: 'analog-input', instance: 10, name: 'Hot water load', column: 'RA-HW-Load', units: EngineeringUnits.NO_UNITS },
  { objectType: 'analog-input', instance: 11, name: 'Chilled water load', column: 'RA-CHW-Load', units: EngineeringUnits.NO_UNITS },
  { objectType: 'analog-input', instance: 12, name: 'HVAC load', column: 'RA-HVAC-Load', units: EngineeringUnits.NO_UNITS },
  { objectType: 'analog-value', instance: 1, name: 'Zone cooling setpoint', column: 'RA-ZONE-COOLING-SP', units: EngineeringUnits.DEGREES_CELSIUS, commandable: true },
  { objectType: 'analog-value', instance: 2, name: 'Zone heating setpoint', column: 'RA-ZONE-HEATING-SP', units: EngineeringUnits.DEGREES_CELSIUS, commandable: true },
  { objectType: 'analog-value', instance: 3, name: 'Supply air temperature cooling setpoint', column: 'RA-SAT-COOLING-SP', units: EngineeringUnits.DEGREES_CELSIUS, commandable: true },
  { objectType: 'analog-value', instance: 4, name: 'Supply air temperature heating setpoint', column: 'RA-SAT-HEATING-SP', units: EngineeringUnits.DEGREES_CELSIUS, commandable: true },
];

/**
 * Builds the simulated objects on a replay of the FLEXLAB cell A file. Inputs report the column of
 * the replayed row and a fault in data gaps; setpoints are commandable and take the column as their
 * relinquish-default.
 */
export function createFlexlabAhuObjects(replay: DatasetReplay): SimulatedObject[] {
  return flexlabAhuObjects.map(
    (object) =>
      new SimulatedObject({
        objectType: object.objectType,
        instance: object.instance,
        name: object.name,
        description: `FLEXLAB cell A, column ${object.column}`,
        units: object.units,
        commandable: object.commandable ?? false,
        source: () => replay.frame().row?.values[object.column] ?? null,
      }),
  );
}

/** Options of the FLEXLAB air handler simulator. */
export interface BacnetAhuSimulatorOptions {
  host?: string;
  /** UDP port; default 47809, so a client on the same host can use 47808 or another port. */
  port?: number;
  deviceInstance?: number;
  broadcastAddress?: string;
  /** Replay speed: 1 is real time. Default 1. */
  speed?: number;
  startOffsetMs?: number;
  now?: WallClock;
  maxApduLength?: number;
  readPropertyMultiple?: boolean;
  covIntervalMs?: number;
  logger: Logger;
}

/** A running air handler simulator and the replay behind it. */
export interface RunningBacnetAhu {
  device: RunningBacnetDevice;
  replay: DatasetReplay;
}

/** Starts a BACnet device that replays the FLEXLAB cell A air handler and zone points. */
export async function startBacnetAhuSimulator(options: BacnetAhuSimulatorOptions): Promise<RunningBacnetAhu> {
  const dataset = loadDataset('flexlab-ra');
  const replay = createReplay({
    rows: dataset.rows,
    intervalMs: dataset.intervalMs,
    speed: options.speed ?? 1,
    startOffsetMs: options.startOffsetMs ?? 0,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const device = await startBacnetDevice({
    port: options.port ?? FLEXLAB_AHU_PORT,
    deviceInstance: options.deviceInstance ?? FLEXLAB_AHU_DEVICE_INSTANCE,
    deviceName: 'FLEXLAB cell A air handler',
    modelName: 'FLEXLAB air handler replay',
    objects: createFlexlabAhuObjects(replay),
    logger: options.logger,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.broadcastAddress === undefined ? {} : { broadcastAddress: options.broadcastAddress }),
    ...(options.maxApduLength === undefined ? {} : { maxApduLength: options.maxApduLength }),
    ...(options.readPropertyMultiple === undefined ? {} : { readPropertyMultiple: options.readPropertyMultiple }),
    // A real device notifies as soon as a value moves. Checking four times per replayed row keeps
    // notifications close to the row change at any replay speed.
    covIntervalMs: options.covIntervalMs ?? Math.min(1000, dataset.intervalMs / (options.speed ?? 1) / 4),
  });
  return { device, replay };
}
