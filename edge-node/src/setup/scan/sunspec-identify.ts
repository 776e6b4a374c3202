import type { Logger } from '../../logger';
import { DeviceError, DeviceProtocolError } from '../../drivers/errors';
import { decodeRegisters } from '../../drivers/modbus/codec';
import type { ModbusConnection } from '../../drivers/modbus/connection';
import { discoverSunspec, type HoldingRegisterReader } from '../../drivers/modbus/sunspec-discovery';
import { loadSunspecModel, SUNSPEC_HEADER_REGISTERS } from '../../templates/sunspec/models';
import type { SunspecSummary } from './schemas';

/** Identity of one unit id of an open Modbus TCP port. */
export interface UnitIdentity {
  /** Whether the unit sent any reply, an exception reply included. False when every request timed out. */
  answered: boolean;
  /** The SunSpec common model and model chain, or null when no "SunS" marker was found. */
  sunspec: SunspecSummary | null;
}

export interface IdentifyOptions {
  connection: ModbusConnection;
  unitId: number;
  /** Timeout of each request, in ms. */
  timeoutMs: number;
  /** Address of the first "SunS" marker read. Discovery then tries 40000, 0 and 50000. */
  baseAddress: number;
  signal?: AbortSignal;
  logger: Logger;
}

/** The SunSpec common model: model 1, whose fixed block is 66 registers. */
const COMMON_MODEL_ID = 1;
/** Maximum registers of one FC 3 request (Modbus application protocol v1.1b3, section 6.3). */
const MAX_READ_REGISTERS = 125;

function readText(model: Buffer, pointName: string): string {
  const point = loadSunspecModel(COMMON_MODEL_ID).points.find((candidate) => candidate.name === pointName);
  if (!point) throw new Error(`SunSpec model 1 has no point ${pointName}`);
  const start = point.offset * 2;
  const end = start + point.size * 2;
  if (end > model.length) return '';
  return String(decodeRegisters(model.subarray(start, end), 'string'));
}

async function readCommonModel(read: HoldingRegisterReader, address: number, length: number): Promise<Buffer> {
  const count = Math.min(length, MAX_READ_REGISTERS);
  return await read(address + SUNSPEC_HEADER_REGISTERS, count);
}

/**
 * Reads the SunSpec identity of one unit id: it finds the "SunS" marker and walks the model chain
 * with the driver's SunSpec discovery, then reads model 1 for manufacturer, model, version and serial
 * number. A unit without the marker, or one that stops replying partway, gets `sunspec: null`. The
 * DeviceError behind it is logged at debug level, not thrown, because a scan meets many such units.
 */
export async function identifyUnit(options: IdentifyOptions): Promise<UnitIdentity> {
  const { connection, unitId, logger } = options;
  let answered = false;
  const read: HoldingRegisterReader = async (address, count) => {
    const target = { device: connection.label, unitId, timeoutMs: options.timeoutMs, logger, ...(options.signal ? { signal: options.signal } : {}) };
    try {
      const registers = await connection.readRegisters(target, 'holding-register', address, count);
      answered = true;
      return registers;
    } catch (error) {
      if (error instanceof DeviceProtocolError) answered = true;
      throw error;
    }
  };

  try {
    const discovery = await discoverSunspec(read, { device: connection.label, baseAddress: options.baseAddress, logger });
    const common = discovery.models.find((model) => model.id === COMMON_MODEL_ID);
    const body = common ? await readCommonModel(read, common.address, common.length) : Buffer.alloc(0);
    const sunspec: SunspecSummary = {
      manufacturer: readText(body, 'Mn'),
      model: readText(body, 'Md'),
      serialNumber: readText(body, 'SN'),
      version: readText(body, 'Vr'),
      models: discovery.models.map((model) => model.id),
    };
    return { answered, sunspec };
  } catch (error) {
    if (!(error instanceof DeviceError)) throw error;
    logger.debug({ err: error, unitId }, `no SunSpec device at unit ${unitId} of ${connection.label}: ${error.message}`);
    return { answered, sunspec: null };
  }
}
