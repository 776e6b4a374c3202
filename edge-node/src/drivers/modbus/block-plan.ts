import type { ModbusPoint, ModbusTable } from '@simtestlab/sync';
import { registerCount } from './codec';

/** A range of one table: registers for register tables, bits for coils and discrete inputs. */
export interface TableSpan {
  table: ModbusTable;
  address: number;
  count: number;
}

/** One read request and the points whose registers or bits lie inside it. */
export interface ReadBlock extends TableSpan {
  points: ModbusPoint[];
}

/** The Modbus limit on bits per FC 1 or FC 2 request. */
export const MAX_BITS_PER_READ = 2000;

export interface PlanOptions {
  maxBlockRegisters: number;
  /**
   * Declared ranges that carry no point (SunSpec model headers and pad registers). A block may read
   * across them, but never across an address that neither a point nor a filler declares.
   */
  fillers?: readonly TableSpan[];
}

export function isBitTable(table: ModbusTable): boolean {
  return table === 'coil' || table === 'discrete-input';
}

/** Returns the registers (or the bit) a point occupies. */
export function pointSpan(point: ModbusPoint): TableSpan {
  const count = isBitTable(point.table) ? 1 : registerCount(point.dataType, point.length);
  return { table: point.table, address: point.address, count };
}

interface Run {
  start: number;
  end: number;
  points: ModbusPoint[];
}

/** Groups the spans of one table into runs of contiguous declared addresses. */
function contiguousRuns(points: readonly ModbusPoint[], fillers: readonly TableSpan[]): Run[] {
  const items = [
    ...points.map((point) => ({ start: point.address, end: point.address + pointSpan(point).count, point })),
    ...fillers.map((filler) => ({ start: filler.address, end: filler.address + filler.count, point: undefined })),
  ].sort((a, b) => a.start - b.start || a.end - b.end);

  const runs: Run[] = [];
  for (const item of items) {
    const last = runs.at(-1);
    if (last && item.start <= last.end) {
      last.end = Math.max(last.end, item.end);
    } else {
      runs.push({ start: item.start, end: item.end, points: [] });
    }
    if (item.point) runs.at(-1)!.points.push(item.point);
  }
  return runs;
}

/**
 * Chooses where the block that starts at `start` ends: the furthest address within `maxCount` that
 * cuts through no point, preferring one that keeps every point in the block together with its SunSpec
 * scale factor whenever both fit in one block.
 */
function chooseBlockEnd(
  run: Run,
  start: number,
  maxCount: number,
  scaleFactorOf: (point: ModbusPoint) => ModbusPoint | undefined,
): number {
  const limit = Math.min(run.end, start + maxCount);
  if (limit === run.end) return limit;

  const spans = run.points.map((point) => ({ point, start: point.address, end: point.address + pointSpan(point).count }));
  const cutsThroughPoint = (end: number): boolean => spans.some((span) => span.start < end && span.end > end);
  const separatesScaleFactor = (end: number): boolean =>
    spans.some((span) => {
      if (span.start < start || span.start >= end) return false;
      const factor = scaleFactorOf(span.point);
      if (!factor || factor.table !== span.point.table) return false;
      const factorEnd = factor.address + pointSpan(factor).count;
      return factor.address >= end && factorEnd - span.start <= maxCount;
    });

  let fallback: number | undefined;
  for (let end = limit; end > start; end--) {
    if (cutsThroughPoint(end)) continue;
    fallback ??= end;
    if (!separatesScaleFactor(end)) return end;
  }
  if (fallback !== undefined) return fallback;
  // A point larger than the block limit gets a block of its own size; the device may reject it.
  const oversized = spans.find((span) => span.start <= start && span.end > start) ?? spans.find((span) => span.start >= start);
  return oversized ? oversized.end : limit;
}

/**
 * Plans the block reads for a set of points. Contiguous declared addresses of one table are read
 * together, up to `maxBlockRegisters` registers (or 2000 bits), and a gap between declared addresses
 * always starts a new block. A block never cuts through a point, and where it can it keeps a point in
 * the same request as its scale factor, so value and factor are read at the same instant.
 */
export function planBlocks(
  points: readonly ModbusPoint[],
  options: PlanOptions,
  scaleFactorOf: (point: ModbusPoint) => ModbusPoint | undefined = () => undefined,
): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  const tables = new Set(points.map((point) => point.table));
  for (const table of tables) {
    const maxCount = isBitTable(table) ? MAX_BITS_PER_READ : options.maxBlockRegisters;
    const tablePoints = points.filter((point) => point.table === table);
    const fillers = (options.fillers ?? []).filter((filler) => filler.table === table);
    for (const run of contiguousRuns(tablePoints, fillers)) {
      let start = run.start;
      while (start < run.end) {
        const end = chooseBlockEnd(run, start, maxCount, scaleFactorOf);
        const inside = run.points.filter((point) => point.address >= start && point.address < end);
        if (inside.length > 0) {
          // Trim filler registers at either end: only the points' registers need reading.
          const first = Math.min(...inside.map((point) => point.address));
          const last = Math.max(...inside.map((point) => point.address + pointSpan(point).count));
          blocks.push({ table, address: first, count: last - first, points: inside });
        }
        start = end;
      }
    }
  }
  return blocks;
}
