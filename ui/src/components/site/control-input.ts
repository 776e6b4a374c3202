import type { ControlResult, ControlValue, DataType } from '@simtestlab/sync';
import { displayUnit, formatNumber } from '../../format/values';
import type { SitePoint } from '../../site/site-api';

/** The input a control form shows for a data type. */
export type ControlInputKind = 'boolean' | 'integer' | 'decimal' | 'text';

const INTEGER_TYPES: ReadonlySet<DataType> = new Set(['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);

export function controlInputKind(dataType: DataType): ControlInputKind {
  if (dataType === 'bool') return 'boolean';
  if (dataType === 'string') return 'text';
  return INTEGER_TYPES.has(dataType) ? 'integer' : 'decimal';
}

/** One limit of a writable point, as the control form lists it. */
export interface ControlLimit {
  name: string;
  text: string;
}

/** Lists in words the limits the edge checks before a write to `point`, for the form to show up front. */
export function describeControlLimits(point: SitePoint): ControlLimit[] {
  const unit = point.unit ? ` ${displayUnit(point.unit)}` : '';
  const control = point.control;
  const limits: ControlLimit[] = [];
  if (point.min !== undefined) limits.push({ name: 'min', text: `${formatNumber(point.min)}${unit}` });
  if (point.max !== undefined) limits.push({ name: 'max', text: `${formatNumber(point.max)}${unit}` });
  if (control?.maxStep !== undefined) limits.push({ name: 'max step', text: `${formatNumber(control.maxStep)}${unit} per write` });
  if (control?.rampPerSecond !== undefined) limits.push({ name: 'ramp', text: `${formatNumber(control.rampPerSecond)}${unit} per second` });
  if (control?.minIntervalMs !== undefined) limits.push({ name: 'min interval', text: `${formatNumber(control.minIntervalMs / 1000)} s between writes` });
  if (control?.leaseS !== undefined) limits.push({ name: 'remote lease', text: `${control.leaseS} s by default` });
  if (control?.onRelease === 'relinquish') limits.push({ name: 'on release', text: 'relinquish (BACnet NULL)' });
  else if (control?.safeValue !== undefined) limits.push({ name: 'on release', text: `writes ${String(control.safeValue)}${typeof control.safeValue === 'number' ? unit : ''}` });
  if (control?.dangerous) limits.push({ name: 'confirmation', text: 'the edge asks for a second confirmation' });
  return limits;
}

export type ParsedControlValue = { ok: true; value: ControlValue } | { ok: false; message: string };

/** Parses what the user typed or chose into the value to send, rejecting input of the wrong type. */
export function parseControlValue(kind: ControlInputKind, raw: string): ParsedControlValue {
  const text = raw.trim();
  if (kind === 'boolean') {
    if (text === 'true') return { ok: true, value: true };
    if (text === 'false') return { ok: true, value: false };
    return { ok: false, message: 'Choose on or off.' };
  }
  if (kind === 'text') {
    if (text.length > 200) return { ok: false, message: `The text is ${text.length} characters long; at most 200 can be written.` };
    return { ok: true, value: raw };
  }
  if (text === '') return { ok: false, message: 'Enter a value.' };
  // "29,5" could be 29.5 or 295 depending on the reader, so a comma is rejected rather than guessed.
  if (text.includes(',')) return { ok: false, message: `"${text}" contains a comma: write the decimal separator as a point, as in 29.5, with no thousands separator.` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, message: `"${text}" is not a number.` };
  if (kind === 'integer' && !Number.isInteger(value)) return { ok: false, message: `${text} is not a whole number, and this point takes integers only.` };
  return { ok: true, value };
}

/**
 * Describes the limit a value crosses, or returns null when it is inside `min` and `max`. The form warns with
 * it before sending, and the edge checks again and rejects the write.
 */
export function limitWarning(point: SitePoint, value: ControlValue): string | null {
  if (typeof value !== 'number') return null;
  const unit = point.unit ? ` ${displayUnit(point.unit)}` : '';
  if (point.min !== undefined && value < point.min) return `${formatNumber(value)}${unit} is below the minimum of ${formatNumber(point.min)}${unit}.`;
  if (point.max !== undefined && value > point.max) return `${formatNumber(value)}${unit} is above the maximum of ${formatNumber(point.max)}${unit}.`;
  return null;
}

export type ParsedLease = { ok: true; leaseS: number | undefined } | { ok: false; message: string };

/** Parses the optional lease field: empty leaves the lease to the edge, else 5 to 86,400 whole seconds. */
export function parseLease(raw: string): ParsedLease {
  const text = raw.trim();
  if (text === '') return { ok: true, leaseS: undefined };
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 5 || seconds > 86_400) {
    return { ok: false, message: `Lease "${text}" is invalid: enter whole seconds from 5 to 86400, or leave it empty.` };
  }
  return { ok: true, leaseS: seconds };
}

/** Formats a written, read-back or previous value for display. */
export function formatControlValue(value: ControlValue | null, unit: string): string {
  if (value === null) return '–';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string') return value;
  return unit ? `${formatNumber(value)} ${displayUnit(unit)}` : formatNumber(value);
}

/** Describes the crossed limit of a rejected command, such as "max = 100", or null when the server named none. */
export function describeCrossedLimit(result: ControlResult): string | null {
  if (result.ok || !result.limit) return null;
  return `${result.limit.name} = ${formatNumber(result.limit.value)}`;
}
