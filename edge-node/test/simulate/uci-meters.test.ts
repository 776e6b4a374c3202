import type ModbusRTU from 'modbus-serial';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRegisters, fromRegisterArray } from '../../src/drivers/modbus/codec';
import { loadDataset } from '../../src/simulate/datasets/catalog';
import { uciCounters } from '../../src/simulate/profiles/uci-meter';
import { startSimulator, type RunningSimulator, type SimulatorKind } from '../../src/simulate/simulators';
import { loadTemplate } from '../../src/templates/registry';
import { closeModbusClient, connectModbusClient, requestFailure } from './modbus-test-client';
import { decodeSunspecBlock } from './sunspec-decode';

const MINUTE_MS = 60_000;
/** 11:22 local time, the minute before the two `?` minutes of 2006-12-21. */
const ROW_BEFORE_GAP = 11 * 60 + 22;
const MODEL_203_BLOCK = 40000 + 2 + 2 + 66 + 2;

const uci = loadDataset('uci-household');

/** Starts a UCI simulator for the suite, on a fake clock that begins at `ROW_BEFORE_GAP`. */
function useSimulator(kind: SimulatorKind) {
  const state = { nowMs: 1_700_000_000_000, port: 0, simulator: undefined as RunningSimulator | undefined, clients: [] as ModbusRTU[] };
  beforeAll(async () => {
    state.simulator = await startSimulator(kind, { port: 0, now: () => state.nowMs, startOffsetMs: ROW_BEFORE_GAP * MINUTE_MS });
    state.port = Number(state.simulator.endpoint.split(':')[1]);
  });
  afterAll(async () => {
    await Promise.all(state.clients.map(closeModbusClient));
    await state.simulator?.stop();
  });
  const client = async () => {
    const connected = await connectModbusClient(state.port, 1);
    state.clients.push(connected);
    return connected;
  };
  return { state, client };
}

function sourceAt(index: number) {
  const values = uci.rows[index]!.values;
  const powerW = values.Global_active_power! * 1000;
  const reactiveVar = values.Global_reactive_power! * 1000;
  return { powerW, reactiveVar, apparentVa: Math.hypot(powerW, reactiveVar), voltageV: values.Voltage!, currentA: values.Global_intensity! };
}

describe('SunSpec meter simulator', () => {
  const { state, client } = useSimulator('sunspec-meter');

  it('serves model 203 from the UCI row', async () => {
    const unit = await client();
    expect((await unit.readHoldingRegisters(MODEL_203_BLOCK - 2, 2)).data).toEqual([203, 105]);
    const served = decodeSunspecBlock(203, (await unit.readHoldingRegisters(MODEL_203_BLOCK, 105)).data);
    const source = sourceAt(ROW_BEFORE_GAP);
    const cases: Array<[string, number, string]> = [
      ['W', source.powerW, 'W_SF'],
      ['WphA', source.powerW, 'W_SF'],
      ['VAR', source.reactiveVar, 'VAR_SF'],
      ['VA', source.apparentVa, 'VA_SF'],
      ['PF', (100 * source.powerW) / source.apparentVa, 'PF_SF'],
      ['A', source.currentA, 'A_SF'],
      ['PhV', source.voltageV, 'V_SF'],
      ['PhVphA', source.voltageV, 'V_SF'],
    ];
    for (const [name, value, sf] of cases) {
      const resolution = 10 ** (served[sf] as number);
      expect(Math.abs((served[name] as number) - value), `${name}: served ${served[name]}, source ${value}`).toBeLessThanOrEqual(resolution / 2 + 1e-9);
    }
    expect(served.Hz).toBeNull();
    expect(served.PhVphB).toBeNull();
    expect(served.TotWhImp).toBe(Math.round(state.simulator!.replay.energyWh(uciCounters.importWh)));
    expect(served.TotWhExp).toBe(0);
  });

  it('is silent during ? minutes', async () => {
    const unit = await client();
    state.nowMs += MINUTE_MS;
    try {
      expect(await requestFailure(unit.readHoldingRegisters(MODEL_203_BLOCK, 10))).toBe('TransactionTimedOutError');
      state.nowMs += MINUTE_MS;
      expect(await requestFailure(unit.readHoldingRegisters(MODEL_203_BLOCK, 10))).toBe('TransactionTimedOutError');
    } finally {
      state.nowMs -= 2 * MINUTE_MS;
    }
  });

  it('keeps the import counter across the gap', async () => {
    const readImportWh = async (unit: ModbusRTU) => decodeSunspecBlock(203, (await unit.readHoldingRegisters(MODEL_203_BLOCK, 105)).data).TotWhImp as number;
    const unit = await client();
    const before = await readImportWh(unit);
    state.nowMs += 3 * MINUTE_MS;
    const after = await readImportWh(await client());
    // 11:22 and 11:25 count, the ? minutes 11:23 and 11:24 add nothing.
    const expectedWh = (uci.rows[ROW_BEFORE_GAP]!.values.Global_active_power! * 1000) / 60;
    expect(uci.rows[ROW_BEFORE_GAP + 1]!.values.Global_active_power).toBeNull();
    expect(Math.abs(after - before - expectedWh)).toBeLessThanOrEqual(1);
  });
});

describe('SDM630 simulator', () => {
  const { state, client } = useSimulator('sdm630');
  const template = loadTemplate('eastron-sdm630');
  const address = (key: string) => template.points.find((point) => point.key === key)!.address;
  const readFloat = async (unit: ModbusRTU, key: string) =>
    decodeRegisters(fromRegisterArray((await unit.readInputRegisters(address(key), 2)).data), 'float32', 'ABCD', false) as number;

  it('serves the UCI row as float32', async () => {
    const unit = await client();
    const source = sourceAt(ROW_BEFORE_GAP);
    const cases: Array<[string, number]> = [
      ['l1_voltage', source.voltageV],
      ['l1_current', source.currentA],
      ['l1_power', source.powerW],
      ['total_power', source.powerW],
      ['l1_reactive_power', source.reactiveVar],
      ['l1_apparent_power', source.apparentVa],
      ['total_power_factor', source.powerW / source.apparentVa],
      ['l2_voltage', 0],
    ];
    for (const [key, value] of cases) expect(await readFloat(unit, key), key).toBe(Math.fround(value));
    expect(await readFloat(unit, 'import_energy')).toBe(Math.fround(state.simulator!.replay.energyWh(uciCounters.importWh) / 1000));
  });

  it('reads contiguous blocks', async () => {
    const unit = await client();
    const phases = (await unit.readInputRegisters(0, 42)).data;
    expect(decodeRegisters(fromRegisterArray(phases.slice(0, 2)), 'float32')).toBe(Math.fround(sourceAt(ROW_BEFORE_GAP).voltageV));
    const energies = (await unit.readInputRegisters(address('frequency'), 10)).data;
    expect(decodeRegisters(fromRegisterArray(energies.slice(0, 2)), 'float32', 'ABCD', false)).toBeNull();
  });

  it('serves holding settings', async () => {
    const unit = await client();
    const registers = (await unit.readHoldingRegisters(address('demand_period'), 2)).data;
    expect(decodeRegisters(fromRegisterArray(registers), 'float32')).toBe(60);
  });

  it('rejects gaps in the register map', async () => {
    const unit = await client();
    expect(await requestFailure(unit.readInputRegisters(address('max_total_power_demand') + 2, 2))).toBe(2);
  });

  it('is silent during ? minutes', async () => {
    const unit = await client();
    state.nowMs += MINUTE_MS;
    try {
      expect(await requestFailure(unit.readInputRegisters(0, 2))).toBe('TransactionTimedOutError');
    } finally {
      state.nowMs -= MINUTE_MS;
    }
  });
});

describe('EM24 simulator', () => {
  const { client } = useSimulator('em24');
  const template = loadTemplate('carlo-gavazzi-em24');

  it('serves the UCI row in template units', async () => {
    const unit = await client();
    const source = sourceAt(ROW_BEFORE_GAP);
    const read = async (key: string) => {
      const point = template.points.find((candidate) => candidate.key === key)!;
      const size = point.dataType === 'int16' ? 1 : 2;
      const raw = decodeRegisters(fromRegisterArray((await unit.readInputRegisters(point.address, size)).data), point.dataType, point.wordOrder ?? 'ABCD', false) as number;
      return { value: raw * point.scale + point.offset, resolution: point.scale };
    };
    const cases: Array<[string, number]> = [
      ['l1_voltage', source.voltageV],
      ['l1_current', source.currentA],
      ['l1_power', source.powerW],
      ['total_power_factor', source.powerW / source.apparentVa],
    ];
    for (const [key, expected] of cases) {
      const { value, resolution } = await read(key);
      expect(Math.abs(value - expected), `${key}: served ${value}, source ${expected}`).toBeLessThanOrEqual(resolution / 2 + 1e-9);
    }
  });
});
