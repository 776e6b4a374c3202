import type { ModbusPoint } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import { DeviceProtocolError } from '../errors';
import { isBitTable, pointSpan, type ReadBlock } from './block-plan';
import type { ModbusConnection, RequestTarget } from './connection';
import { describeException, ILLEGAL_DATA_ADDRESS, ILLEGAL_DATA_VALUE } from './modbus-errors';

/** The raw result of one point: its registers or bit, or the exception the device replied with. */
export type RawPointResult =
  | { kind: 'registers'; bytes: Buffer }
  | { kind: 'bit'; value: boolean }
  | { kind: 'exception'; code: number };

/** The outcome of one read cycle: raw results by point key, and the plan to use next time. */
export interface ReadCycle {
  results: Map<string, RawPointResult>;
  plan: ReadBlock[];
}

async function readBlock(connection: ModbusConnection, target: RequestTarget, block: ReadBlock): Promise<Map<string, RawPointResult>> {
  const results = new Map<string, RawPointResult>();
  if (isBitTable(block.table)) {
    const bits = await connection.readBits(target, block.table, block.address, block.count);
    for (const point of block.points) results.set(point.key, { kind: 'bit', value: bits[point.address - block.address] === true });
    return results;
  }
  const bytes = await connection.readRegisters(target, block.table, block.address, block.count);
  for (const point of block.points) {
    const offset = (point.address - block.address) * 2;
    const length = pointSpan(point).count * 2;
    results.set(point.key, { kind: 'registers', bytes: bytes.subarray(offset, offset + length) });
  }
  return results;
}

function singlePointBlock(point: ModbusPoint): ReadBlock {
  return { ...pointSpan(point), points: [point] };
}

function isAddressOrValueException(error: unknown): error is DeviceProtocolError {
  return error instanceof DeviceProtocolError && (error.code === ILLEGAL_DATA_ADDRESS || error.code === ILLEGAL_DATA_VALUE);
}

/**
 * Reads every block of the plan, one request per block. When the device replies to a block of
 * several points with exception 2 (illegal data address) or 3 (illegal data value), the block is
 * split and its points are read one by one. Only the points the device really rejects then come back
 * as exceptions, and the returned plan keeps them split for later cycles. Other exceptions mark all
 * points of the block.
 * Timeouts and connection errors are thrown: they concern the whole device.
 */
export async function readPlan(
  connection: ModbusConnection,
  target: RequestTarget,
  plan: readonly ReadBlock[],
  logger: Logger,
): Promise<ReadCycle> {
  const results = new Map<string, RawPointResult>();
  const nextPlan: ReadBlock[] = [];
  for (const block of plan) {
    try {
      for (const [key, result] of await readBlock(connection, target, block)) results.set(key, result);
      nextPlan.push(block);
    } catch (error) {
      if (!(error instanceof DeviceProtocolError)) throw error;
      if (block.points.length > 1 && isAddressOrValueException(error)) {
        logger.warn(
          { table: block.table, address: block.address, count: block.count, code: error.code },
          `block read failed with ${describeException(error.code)}; reading its ${block.points.length} points one by one from now on`,
        );
        const singles = block.points.map(singlePointBlock);
        const retried = await readPlan(connection, target, singles, logger);
        for (const [key, result] of retried.results) results.set(key, result);
        nextPlan.push(...retried.plan);
        continue;
      }
      logger.debug({ table: block.table, address: block.address, count: block.count, code: error.code }, error.message);
      for (const point of block.points) results.set(point.key, { kind: 'exception', code: error.code });
      nextPlan.push(block);
    }
  }
  return { results, plan: nextPlan };
}
