import { deviceSchema } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { Driver, PointReading } from '../../src/drivers/driver';
import { DeviceTimeoutError } from '../../src/drivers/errors';
import { createModbusDriver } from '../../src/drivers/modbus';
import { createSilentLogger } from '../../src/logger';
import { loadDataset } from '../../src/simulate/datasets/catalog';
import { uciCounters } from '../../src/simulate/profiles/uci-meter';
import { startSimulator, type RunningSimulator, type SimulatorKind } from '../../src/simulate/simulators';
import { expandDeviceTemplate } from '../../src/templates/registry';

const MINUTE_MS = 60_000;
const NOON_ROW = 720;
/** 11:22 local time, the minute before the two `?` minutes of 2006-12-21. */
const ROW_BEFORE_GAP = 11 * 60 + 22;

describe('simulators read by the Modbus driver', () => {
  let nowMs = 1_700_000_000_000;
  let simulator: RunningSimulator | undefined;
  let driver: Driver | undefined;

  afterEach(async () => {
    await driver?.stop();
    await simulator?.stop();
    driver = undefined;
    simulator = undefined;
  });

  async function startPair(kind: SimulatorKind, template: string, startRow: number, unitId = 1): Promise<Driver> {
    simulator = await startSimulator(kind, { port: 0, now: () => nowMs, startOffsetMs: startRow * MINUTE_MS });
    const port = Number(simulator.endpoint.split(':')[1]);
    const device = deviceSchema.parse(
      expandDeviceTemplate({
        key: `${kind}-${unitId}`,
        driver: 'modbus-tcp',
        template,
        addressing: 'protocol',
        connection: { host: '127.0.0.1', port, unitId, timeoutMs: 300 },
        points: [],
      }),
    );
    driver = createModbusDriver(device, { logger: createSilentLogger(), onReadings: () => undefined });
    await driver.start();
    return driver;
  }

  const valueOf = (readings: PointReading[], key: string) => {
    const reading = readings.find((candidate) => candidate.point === key);
    expect(reading, `point ${key}`).toBeDefined();
    expect(reading!.quality, `quality of ${key}`).toBe('good');
    return reading!.value as number;
  };

  it('pecos system 2 through SunSpec discovery', async () => {
    const modbus = await startPair('sunspec-inverter', 'sunspec', NOON_ROW, 2);
    const readings = await modbus.read();
    const row = loadDataset('pecos-pv').rows[NOON_ROW]!.values;
    expect(valueOf(readings, 'm103.W')).toBeCloseTo(row.Sys2Wac_Avg!, 0);
    expect(valueOf(readings, 'm103.PhVphA')).toBeCloseTo(row.Sys2Vac_Avg!, 1);
    expect(valueOf(readings, 'm103.Hz')).toBeCloseTo(row.Sys2Frequency_Avg!, 2);
    expect(valueOf(readings, 'm103.DCV')).toBeCloseTo(row.Sys2Vdc_Avg!, 1);
    expect(valueOf(readings, 'm1.SN')).toBe('PECOS-SYS2');
  });

  it('UCI house through SunSpec discovery', async () => {
    const modbus = await startPair('sunspec-meter', 'sunspec', ROW_BEFORE_GAP);
    const readings = await modbus.read();
    const row = loadDataset('uci-household').rows[ROW_BEFORE_GAP]!.values;
    expect(valueOf(readings, 'm203.W')).toBeCloseTo(row.Global_active_power! * 1000, 0);
    expect(valueOf(readings, 'm203.PhV')).toBeCloseTo(row.Voltage!, 1);
    expect(valueOf(readings, 'm203.TotWhImp')).toBe(Math.round(simulator!.replay.energyWh(uciCounters.importWh)));
  });

  it('UCI house through the SDM630 template', async () => {
    const modbus = await startPair('sdm630', 'eastron-sdm630', ROW_BEFORE_GAP);
    const readings = await modbus.read();
    const row = loadDataset('uci-household').rows[ROW_BEFORE_GAP]!.values;
    expect(valueOf(readings, 'total_power')).toBe(Math.fround(row.Global_active_power! * 1000));
    expect(valueOf(readings, 'l1_voltage')).toBe(Math.fround(row.Voltage!));
  });

  it('a ? minute reads as a timeout', async () => {
    const modbus = await startPair('sdm630', 'eastron-sdm630', ROW_BEFORE_GAP + 1);
    await expect(modbus.read()).rejects.toBeInstanceOf(DeviceTimeoutError);
  });
});
