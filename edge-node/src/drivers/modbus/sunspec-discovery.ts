import type { ModbusPoint } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import { loadSunspecModel, sunspecModelIds } from '../../templates/sunspec/models';
import { DeviceError, DeviceProtocolError } from '../errors';
import type { TableSpan } from './block-plan';
import { describeException } from './modbus-errors';
import { buildModelPoints, modelKeyPrefix } from './sunspec-points';

/** "SunS" as two big-endian registers, the marker at the SunSpec base address. */
const SUNS_MARKER = 0x53756e53;
const END_MODEL_ID = 0xffff;
const HEADER_REGISTERS = 2;
/** Upper bound on models in a chain, against devices whose chain never ends. */
const MAX_MODELS = 100;
/** Base addresses tried after the configured one, in this order (SunSpec allows 0, 40000, 50000). */
const FALLBACK_BASE_ADDRESSES = [40_000, 0, 50_000];

/** Reads holding registers (FC 3) of the device; throws DeviceProtocolError for an exception reply. */
export type HoldingRegisterReader = (address: number, count: number) => Promise<Buffer>;

/** One model found in the chain. */
export interface DiscoveredModel {
  id: number;
  /** Protocol address of the model's `ID` register. */
  address: number;
  /** Model length from the header, in registers after the header. */
  length: number;
  /** Key prefix of the model's points, or undefined when the model was skipped. */
  keyPrefix?: string;
}

/** The result of SunSpec discovery. */
export interface SunspecDiscoveryResult {
  baseAddress: number;
  models: DiscoveredModel[];
  points: ModbusPoint[];
  fillers: TableSpan[];
}

export interface DiscoveryOptions {
  device: string;
  baseAddress: number;
  /** Model ids to build points for; all shipped models when omitted. */
  models?: readonly number[];
  logger: Logger;
}

async function readMarker(read: HoldingRegisterReader, address: number): Promise<boolean> {
  try {
    return (await read(address, HEADER_REGISTERS)).readUInt32BE(0) === SUNS_MARKER;
  } catch (error) {
    if (error instanceof DeviceProtocolError) return false;
    throw error;
  }
}

async function findBaseAddress(read: HoldingRegisterReader, options: DiscoveryOptions): Promise<number> {
  const candidates = [...new Set([options.baseAddress, ...FALLBACK_BASE_ADDRESSES])];
  for (const address of candidates) {
    if (await readMarker(read, address)) {
      if (address !== options.baseAddress) {
        options.logger.warn(
          { configuredBaseAddress: options.baseAddress, baseAddress: address },
          `SunSpec marker "SunS" not found at ${options.baseAddress}; found it at ${address} instead`,
        );
      }
      return address;
    }
  }
  throw new DeviceError(`SunSpec marker "SunS" not found at holding register ${candidates.join(', ')}`, {
    device: options.device,
    retryable: false,
  });
}

/**
 * Finds the SunSpec register map of a device and builds its points. Reads the "SunS" marker at the
 * configured base address, then at 40000, 0 and 50000, and walks the model chain by the length each
 * model header reports, which may differ from the length in the model JSON. The walk stops at the end
 * model 0xFFFF, at an exception reply or after 100 models. Models that are not shipped, or not in
 * `options.models`, are skipped with a log line.
 */
export async function discoverSunspec(read: HoldingRegisterReader, options: DiscoveryOptions): Promise<SunspecDiscoveryResult> {
  const { logger } = options;
  const baseAddress = await findBaseAddress(read, options);
  const known = new Set(sunspecModelIds());
  const wanted = options.models ? new Set(options.models) : undefined;
  const instances = new Map<number, number>();
  const result: SunspecDiscoveryResult = { baseAddress, models: [], points: [], fillers: [] };

  let address = baseAddress + HEADER_REGISTERS;
  for (let index = 0; index < MAX_MODELS; index++) {
    let header: Buffer;
    try {
      header = await read(address, HEADER_REGISTERS);
    } catch (error) {
      if (!(error instanceof DeviceProtocolError)) throw error;
      logger.warn(
        { address, code: error.code },
        `SunSpec model chain ends with ${describeException(error.code)} instead of the end model 0xFFFF`,
      );
      return result;
    }
    const id = header.readUInt16BE(0);
    const length = header.readUInt16BE(2);
    if (id === END_MODEL_ID) {
      logger.info({ baseAddress, models: result.models.map((model) => model.id) }, 'SunSpec discovery finished');
      return result;
    }
    if (address + HEADER_REGISTERS + length > 0x10000) {
      logger.warn({ address, id, length }, 'SunSpec model runs past the last register; discovery stopped there');
      return result;
    }

    const model: DiscoveredModel = { id, address, length };
    result.models.push(model);
    if (!known.has(id)) {
      logger.info({ modelId: id, address, length }, `SunSpec model ${id} is not known; skipped`);
    } else if (wanted && !wanted.has(id)) {
      logger.debug({ modelId: id, address, length }, `SunSpec model ${id} is not in sunspec.models; skipped`);
    } else {
      const instance = (instances.get(id) ?? 0) + 1;
      instances.set(id, instance);
      model.keyPrefix = modelKeyPrefix(id, instance);
      const definition = loadSunspecModel(id);
      if (length !== definition.fixedSize) {
        logger.debug({ modelId: id, length, fixedSize: definition.fixedSize }, 'SunSpec model length differs from its fixed block');
      }
      const built = buildModelPoints(definition, address + HEADER_REGISTERS, length, model.keyPrefix);
      result.points.push(...built.points);
      result.fillers.push(...built.fillers);
    }
    address += HEADER_REGISTERS + length;
  }
  logger.warn({ baseAddress, maxModels: MAX_MODELS }, 'SunSpec model chain has no end model within 100 models; discovery stopped');
  return result;
}
