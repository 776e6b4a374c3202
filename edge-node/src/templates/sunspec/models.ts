import { readdirSync, readFileSync } from 'node:fs';
import { assetPath } from '../../runtime/install-paths';

/** Folder of the SunSpec JSON models shipped with the edge node (sunspec/models, Apache-2.0). */
export const sunspecModelDir = assetPath('templates/sunspec/');

/** Registers of the model header (`ID`, `L`) that precede every model's points. */
export const SUNSPEC_HEADER_REGISTERS = 2;

/** One named value of an enum or one bit of a bitfield. */
export interface SunspecSymbol {
  name: string;
  value: number;
}

/** One point of a SunSpec model, as the model JSON describes it. */
export interface SunspecPoint {
  /** Point name from the model, such as `W` or `A_SF`. */
  name: string;
  /**
   * Type as written in the JSON: int16, uint16, acc16, acc32, acc64, int32, uint32, int64, uint64,
   * float32, enum16, enum32, bitfield16, bitfield32, sunssf, string, pad, count, ipaddr, ipv6addr, eui48.
   */
  type: string;
  /** Registers the point occupies. */
  size: number;
  /** Registers from the start of its block; for fixed points, from the first register after the header. */
  offset: number;
  /** Scale factor: the name of a `sunssf` point of the same model, or a fixed power of ten. */
  sf?: string | number;
  units?: string;
  access: 'R' | 'RW';
  /** Whether the model marks the point mandatory (`M`); optional points may read as the sentinel. */
  mandatory: boolean;
  /** Whether the value never changes after start-up (`S` in the JSON). */
  static: boolean;
  label?: string;
  description?: string;
  /** Enum values or bitfield bits. */
  symbols?: SunspecSymbol[];
  /** Fixed value the model states, such as the model id in `ID`. */
  value?: number | string;
}

/** A repeating block of a model (one per MPPT input, curve or string). */
export interface SunspecRepeatingBlock {
  name: string;
  /** Registers one repetition occupies. */
  size: number;
  points: SunspecPoint[];
}

/** A SunSpec model: its fixed block and, where it has one, the repeating block that follows it. */
export interface SunspecModel {
  id: number;
  /** Model name from the JSON, such as `inverter_three_phase`. */
  name: string;
  label?: string;
  /** Registers of the fixed block, without the 2-register header. */
  fixedSize: number;
  /** Points of the fixed block, without the header points `ID` and `L`. */
  points: SunspecPoint[];
  repeating?: SunspecRepeatingBlock;
}

interface JsonPoint {
  name: string;
  type: string;
  size: number;
  sf?: string | number;
  units?: string;
  access?: string;
  mandatory?: string;
  static?: string;
  label?: string;
  desc?: string;
  symbols?: SunspecSymbol[];
  value?: number | string;
}

interface JsonGroup {
  name: string;
  label?: string;
  points?: JsonPoint[];
  groups?: JsonGroup[];
}

const cache = new Map<number, SunspecModel>();

function toPoints(jsonPoints: readonly JsonPoint[]): { points: SunspecPoint[]; size: number } {
  const points: SunspecPoint[] = [];
  let offset = 0;
  for (const json of jsonPoints) {
    const point: SunspecPoint = {
      name: json.name,
      type: json.type,
      size: json.size,
      offset,
      access: json.access === 'RW' ? 'RW' : 'R',
      mandatory: json.mandatory === 'M',
      static: json.static === 'S',
    };
    if (json.sf !== undefined) point.sf = json.sf;
    if (json.units !== undefined) point.units = json.units;
    if (json.label !== undefined) point.label = json.label;
    if (json.desc !== undefined) point.description = json.desc;
    if (json.symbols !== undefined) point.symbols = json.symbols.map(({ name, value }) => ({ name, value }));
    if (json.value !== undefined) point.value = json.value;
    points.push(point);
    offset += json.size;
  }
  return { points, size: offset };
}

function parseModel(id: number, text: string): SunspecModel {
  const json = JSON.parse(text) as { id: number; group: JsonGroup };
  if (json.id !== id) throw new Error(`SunSpec model file model_${id}.json contains model ${json.id}`);
  const group = json.group;
  const all = group.points ?? [];
  if (all[0]?.name !== 'ID' || all[1]?.name !== 'L') {
    throw new Error(`SunSpec model ${id} does not start with the ID and L header points`);
  }
  const fixed = toPoints(all.slice(SUNSPEC_HEADER_REGISTERS));
  const model: SunspecModel = { id, name: group.name, fixedSize: fixed.size, points: fixed.points };
  if (group.label !== undefined) model.label = group.label;
  // NOTE: only the first repeating group is kept, which covers the shipped models. Nested groups
  // (curves inside a curve set) are not described.
  const repeatingGroup = group.groups?.[0];
  if (repeatingGroup) {
    const repeating = toPoints(repeatingGroup.points ?? []);
    model.repeating = { name: repeatingGroup.name, size: repeating.size, points: repeating.points };
  }
  return model;
}

/**
 * Loads a SunSpec model from the shipped JSON files. Throws an Error naming the known ids when the
 * model is not shipped. Models are parsed once and cached; treat the result as read-only.
 */
export function loadSunspecModel(id: number): SunspecModel {
  const cached = cache.get(id);
  if (cached) return cached;
  if (!sunspecModelIds().includes(id)) {
    throw new Error(`SunSpec model ${id} is not shipped; known models: ${sunspecModelIds().join(', ')}`);
  }
  const model = parseModel(id, readFileSync(`${sunspecModelDir}model_${id}.json`, 'utf8'));
  cache.set(id, model);
  return model;
}

/** Returns the ids of the shipped SunSpec models, in ascending order. */
export function sunspecModelIds(): number[] {
  return readdirSync(sunspecModelDir)
    .map((file) => /^model_(\d+)\.json$/.exec(file)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}
