import { modbusPointSchema, type ModbusPoint } from '@simtestlab/sync';
import { z } from 'zod';
import { addressingSchema, type Addressing } from '../config/schema';
import { registerNumberToAddress } from './addressing';

/**
 * A device template file (`templates/<name>.yaml`): a register map taken from one manufacturer
 * document, or a SunSpec device whose points the driver discovers.
 */
export const templateFileSchema = z
  .object({
    title: z.string().min(1),
    manufacturer: z.string().min(1),
    /** The manufacturer's protocol document and its version that the register map follows. */
    document: z.string().min(1),
    /** The form of `address` in `points`. Every file states it, since 30001 and 0 can name the same register. */
    addressing: addressingSchema,
    acceptUnitIds: z.array(z.number().int().min(0).max(255)).optional(),
    maxBlockRegisters: z.number().int().min(1).max(125).optional(),
    /** Present on SunSpec templates: the driver discovers the points at start. */
    sunspec: z.object({ baseAddress: z.number().int().min(0).max(65535).optional() }).strict().optional(),
    /** Fields every point gets unless it sets them itself (`dataType`, `table`, `wordOrder`). */
    pointDefaults: z.record(z.string(), z.unknown()).default({}),
    points: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .strict();
export type TemplateFile = z.infer<typeof templateFileSchema>;

/** A device template with its points resolved to 0-based protocol addresses. */
export interface DeviceTemplate {
  name: string;
  title: string;
  manufacturer: string;
  document: string;
  /** The addressing the file is written in; `points` are already converted to protocol addresses. */
  addressing: Addressing;
  acceptUnitIds?: number[];
  maxBlockRegisters?: number;
  sunspec?: { baseAddress?: number };
  points: ModbusPoint[];
}

/**
 * Converts one point's `address` from a register number into `table` and protocol address. A point
 * that also names a `table` must name the one the number selects. Throws an Error naming the point.
 */
export function resolveRegisterNumber(point: Record<string, unknown>, where: string): Record<string, unknown> {
  const { address } = point;
  if (typeof address !== 'number' && typeof address !== 'string') {
    throw new Error(`${where}: missing register number in "address"`);
  }
  let resolved;
  try {
    resolved = registerNumberToAddress(address);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
  if (point.table !== undefined && point.table !== resolved.table) {
    throw new Error(
      `${where}: register number ${address} selects table "${resolved.table}", but the point sets table "${String(point.table)}"`,
    );
  }
  return { ...point, table: resolved.table, address: resolved.address };
}

/** Validates a parsed template file and resolves its points. Throws an Error naming the bad field. */
export function resolveTemplate(name: string, document: unknown): DeviceTemplate {
  const parsed = templateFileSchema.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`invalid device template "${name}": ${issues.join('; ')}`);
  }
  const file = parsed.data;
  const points = file.points.map((raw, index) => {
    const where = `template "${name}" points[${index}]${typeof raw.key === 'string' ? ` (${raw.key})` : ''}`;
    let point: Record<string, unknown> = { ...file.pointDefaults, ...raw };
    if (file.addressing === 'register-number') point = resolveRegisterNumber(point, where);
    const result = modbusPointSchema.safeParse(point);
    if (!result.success) {
      const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(point)'}: ${issue.message}`);
      throw new Error(`${where}: ${issues.join('; ')}`);
    }
    return result.data;
  });

  const template: DeviceTemplate = {
    name,
    title: file.title,
    manufacturer: file.manufacturer,
    document: file.document,
    addressing: file.addressing,
    points,
  };
  if (file.acceptUnitIds !== undefined) template.acceptUnitIds = file.acceptUnitIds;
  if (file.maxBlockRegisters !== undefined) template.maxBlockRegisters = file.maxBlockRegisters;
  if (file.sunspec !== undefined) template.sunspec = file.sunspec;
  return template;
}
