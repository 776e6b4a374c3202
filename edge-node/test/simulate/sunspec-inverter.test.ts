import type ModbusRTU from 'modbus-serial';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/simulate/datasets/catalog';
import { pecosEnergyCounter } from '../../src/simulate/profiles/pecos-inverter';
import { startSimulator, type RunningSimulator } from '../../src/simulate/simulators';
import { loadSunspecModel } from '../../src/templates/sunspec/models';
import { closeModbusClient, connectModbusClient, requestFailure } from './modbus-test-client';
import { decodeSunspecBlock } from './sunspec-decode';

const MINUTE_MS = 60_000;
const NOON_ROW = 720;
const BASE = 40000;
const MODEL_1_ADDRESS = BASE + 2;
const MODEL_103_ADDRESS = MODEL_1_ADDRESS + 2 + 66;
const END_ADDRESS = MODEL_103_ADDRESS + 2 + 50;

describe('SunSpec inverter simulator', () => {
  let nowMs = 1_700_000_000_000;
  let simulator: RunningSimulator;
  let port: number;
  const clients: ModbusRTU[] = [];
  const pecos = loadDataset('pecos-pv');

  const client = async (unitId: number) => {
    const connected = await connectModbusClient(port, unitId);
    clients.push(connected);
    return connected;
  };

  beforeAll(async () => {
    simulator = await startSimulator('sunspec-inverter', { port: 0, unitId: 1, now: () => nowMs, startOffsetMs: NOON_ROW * MINUTE_MS });
    port = Number(simulator.endpoint.split(':')[1]);
  });

  afterAll(async () => {
    await Promise.all(clients.map(closeModbusClient));
    await simulator.stop();
  });

  it('reports its endpoint and units', () => {
    expect(simulator.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(simulator.unitIds).toEqual([1, 2]);
  });

  it('serves the model chain', async () => {
    const unit = await client(1);
    expect((await unit.readHoldingRegisters(BASE, 4)).data).toEqual([0x5375, 0x6e53, 1, 66]);
    expect((await unit.readHoldingRegisters(MODEL_103_ADDRESS, 2)).data).toEqual([103, 50]);
    expect((await unit.readHoldingRegisters(END_ADDRESS, 2)).data).toEqual([0xffff, 0]);
  });

  it('serves the common model', async () => {
    const unit = await client(2);
    const block = (await unit.readHoldingRegisters(MODEL_1_ADDRESS + 2, 66)).data;
    const common = decodeSunspecBlock(1, block);
    expect(common.Mn).toBe('SimTestLab');
    expect(common.SN).toBe('PECOS-SYS2');
    expect(common.DA).toBe(2);
  });

  it.each([1, 2] as const)('serves pecos system %i at noon', async (system) => {
    const unit = await client(system);
    const block = (await unit.readHoldingRegisters(MODEL_103_ADDRESS + 2, 50)).data;
    const served = decodeSunspecBlock(103, block);
    const row = pecos.rows[NOON_ROW]!.values;
    const p = `Sys${system}`;
    const dcCurrent = row[`${p}Str1Idc_Avg`]! + row[`${p}Str2Idc_Avg`]!;
    const expected: Record<string, number> = {
      A: row[`${p}Iac_Avg`]!,
      AphA: row[`${p}Iac_Avg`]!,
      PhVphA: row[`${p}Vac_Avg`]!,
      W: row[`${p}Wac_Avg`]!,
      Hz: row[`${p}Frequency_Avg`]!,
      VAr: row[`${p}VARac_Avg`]!,
      PF: row[`${p}PowerFactor_Avg`]! * 100,
      DCA: dcCurrent,
      DCV: row[`${p}Vdc_Avg`]!,
      DCW: row[`${p}Vdc_Avg`]! * dcCurrent,
      TmpCab: row.LocalAmbientTemp_Avg!,
    };
    const points = loadSunspecModel(103).points;
    for (const [name, value] of Object.entries(expected)) {
      const sfName = points.find((point) => point.name === name)!.sf as string;
      const resolution = 10 ** (served[sfName] as number);
      expect(Math.abs((served[name] as number) - value), `${name}: served ${served[name]}, source ${value}`).toBeLessThanOrEqual(resolution / 2 + 1e-9);
    }
    expect(served.St).toBe(4);
    expect(served.PhVphB).toBeNull();
    expect(served.TmpSnk).toBeNull();
    expect(served.WH).toBe(Math.round(simulator.replay.energyWh(pecosEnergyCounter(system))));
  });

  it('counts energy as the power integral', async () => {
    const unit = await client(1);
    const readWh = async () => {
      const block = (await unit.readHoldingRegisters(MODEL_103_ADDRESS + 2, 50)).data;
      return decodeSunspecBlock(103, block).WH as number;
    };
    const startMs = nowMs;
    try {
      const before = await readWh();
      nowMs += 10 * MINUTE_MS;
      const after = await readWh();
      const expectedWh = pecos.rows.slice(NOON_ROW, NOON_ROW + 10).reduce((sum, row) => sum + Math.max(0, row.values.Sys1Wac_Avg!) / 60, 0);
      expect(expectedWh).toBeGreaterThan(400);
      expect(Math.abs(after - before - expectedWh)).toBeLessThanOrEqual(1);
    } finally {
      nowMs = startMs;
    }
  });

  it('rejects reads over 125 registers', async () => {
    const unit = await client(1);
    expect(await requestFailure(unit.readHoldingRegisters(BASE, 126))).toBe(3);
  });

  it('rejects unmapped addresses', async () => {
    const unit = await client(1);
    expect(await requestFailure(unit.readHoldingRegisters(END_ADDRESS + 1, 2))).toBe(2);
    expect(await requestFailure(unit.readHoldingRegisters(BASE - 1, 2))).toBe(2);
  });

  it('rejects writes and coil reads', async () => {
    const unit = await client(1);
    expect(await requestFailure(unit.writeRegister(BASE, 1))).toBe(2);
    expect(await requestFailure(unit.readCoils(0, 1))).toBe(1);
  });

  it('ignores other unit ids', async () => {
    const unit = await client(3);
    expect(await requestFailure(unit.readHoldingRegisters(BASE, 2))).toBe('TransactionTimedOutError');
  });
});
