import type { DataType } from '@simtestlab/sync';

/**
 * Problem that kept a payload from giving a value for a point. `future_timestamp` rejects the whole
 * message, because its own timestamp is too far ahead of the edge clock to be true.
 */
export type PayloadProblem = 'invalid_json' | 'missing_path' | 'not_numeric' | 'not_boolean' | 'future_timestamp';

/** The outcome of reading one point from one payload. */
export type ExtractResult = { ok: true; value: number | string } | { ok: false; problem: PayloadProblem; detail: string };

type PathStep = string | number;

const pathCache = new Map<string, PathStep[] | undefined>();

/**
 * Splits a dotted path with array indexes (`a.b[2].c`, `[0].value`) into steps. Returns undefined
 * for a path that does not parse, such as `a..b` or `a[x]`.
 */
export function parsePath(path: string): PathStep[] | undefined {
  if (pathCache.has(path)) return pathCache.get(path);
  const steps: PathStep[] = [];
  let rest = path;
  let valid = path.length > 0;
  while (valid && rest.length > 0) {
    // After the first step, a key needs a leading dot and an index needs none.
    if (steps.length > 0 && rest.startsWith('.')) {
      rest = rest.slice(1);
      valid = /^[^.[\]]/.test(rest);
    } else if (steps.length > 0 && !rest.startsWith('[')) {
      valid = false;
    }
    const match = valid ? /^(?:([^.[\]]+)|\[(\d+)\])/.exec(rest) : null;
    if (match === null) {
      valid = false;
    } else {
      steps.push(match[1] ?? Number(match[2]));
      rest = rest.slice(match[0].length);
    }
  }
  const result = valid ? steps : undefined;
  pathCache.set(path, result);
  return result;
}

/** Follows a parsed path into a JSON value; returns undefined when a step does not exist. */
export function resolvePath(root: unknown, steps: readonly PathStep[]): unknown {
  let current = root;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return undefined;
      current = current[step];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

/**
 * Plain decimal notation: optional sign, digits, optional fraction and exponent (`-3`, `21.5`,
 * `1.2e-3`). It leaves out what `Number()` would also take: hex, octal and binary literals,
 * `Infinity`, blanks, and a bare `.5` or `5.`.
 */
const DECIMAL_PATTERN = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Parses text in plain decimal notation. Returns undefined for other text and for values outside the float64 range. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL_PATTERN.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/** Reads a JSON value as a number: a finite JSON number or a string in plain decimal notation. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return parseDecimal(value);
  return undefined;
}

/** Reads a JSON value as a boolean, returned as 1 or 0: `true`, `false`, or a number that is 0 or 1. */
export function toBoolean(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const number = toNumber(value);
  if (number === 0) return 0;
  return number === 1 ? 1 : undefined;
}

/** Reads the text `true`, `false`, `0` or `1` as 1 or 0. */
function plainBooleanValue(text: string): number | undefined {
  if (text === 'true') return 1;
  if (text === 'false') return 0;
  return toBoolean(text);
}

/**
 * Reads a payload without a path, so the whole payload is the value. Surrounding whitespace is
 * ignored, because shell tools that publish often end the payload with a newline.
 */
function plainPayloadValue(text: string, dataType: DataType): ExtractResult {
  const trimmed = text.trim();
  if (dataType === 'bool') {
    const value = plainBooleanValue(trimmed);
    return value === undefined ? { ok: false, problem: 'not_boolean', detail: 'payload is not true, false, 0 or 1' } : { ok: true, value };
  }
  const value = parseDecimal(trimmed);
  return value === undefined ? { ok: false, problem: 'not_numeric', detail: 'payload is not a number in plain decimal notation' } : { ok: true, value };
}

/** A payload parsed once for all points on its topic. */
export class ParsedPayload {
  private json: { ok: true; value: unknown } | { ok: false; error: string } | undefined;

  constructor(readonly text: string) {}

  /** Parses the payload as JSON on first use and returns the cached result. */
  parseJson(): { ok: true; value: unknown } | { ok: false; error: string } {
    if (this.json === undefined) {
      try {
        this.json = { ok: true, value: JSON.parse(this.text) };
      } catch (error) {
        this.json = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }
    return this.json;
  }

  /**
   * Extracts a point's value by its data type. With a `path` the value is the JSON value at that
   * path, and without one it is the whole payload. Numeric points take a finite number or a decimal
   * string. `bool` points take `true`, `false`, 0 or 1, and return 1 or 0. `string` points take the
   * value as text.
   */
  extract(path: string | undefined, dataType: DataType): ExtractResult {
    if (path === undefined) return dataType === 'string' ? { ok: true, value: this.text } : plainPayloadValue(this.text, dataType);
    const steps = parsePath(path);
    if (steps === undefined) return { ok: false, problem: 'missing_path', detail: `invalid path "${path}"` };
    const json = this.parseJson();
    if (!json.ok) return { ok: false, problem: 'invalid_json', detail: json.error };
    const found = resolvePath(json.value, steps);
    if (found === undefined || found === null) return { ok: false, problem: 'missing_path', detail: `no value at "${path}"` };
    if (dataType === 'string') return { ok: true, value: typeof found === 'string' ? found : JSON.stringify(found) };
    if (dataType === 'bool') {
      const value = toBoolean(found);
      return value === undefined ? { ok: false, problem: 'not_boolean', detail: `value at "${path}" is not true, false, 0 or 1` } : { ok: true, value };
    }
    const value = toNumber(found);
    return value === undefined
      ? { ok: false, problem: 'not_numeric', detail: `value at "${path}" is not a finite number or a string in plain decimal notation` }
      : { ok: true, value };
  }

  /**
   * Returns the payload's own timestamp in epoch ms, from a top-level `ts`, `timestamp` or `time`
   * field: a number in ms (or in seconds when below 1e11, which is 1973 in ms), or an ISO 8601 text.
   * Returns undefined when there is none or the payload is not a JSON object.
   */
  sourceTimestampMs(): number | undefined {
    const json = this.parseJson();
    if (!json.ok || typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) return undefined;
    const record = json.value as Record<string, unknown>;
    for (const key of ['ts', 'timestamp', 'time']) {
      const value = record[key];
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value < 1e11 ? value * 1000 : value;
      if (typeof value === 'string') {
        const parsed = Date.parse(value);
        if (Number.isFinite(parsed)) return parsed;
      }
    }
    return undefined;
  }
}
