import { localDateTimeAt, startOfZonedDay, zonedTimeToUtcMs } from '@simtestlab/sync';
import type { TimeRange } from './site-api';

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Parses the value of a datetime-local input as a wall-clock time in `timeZone`, or returns null when it is empty or malformed. */
export function parseLocalInput(value: string, timeZone: string): number | null {
  const match = LOCAL_INPUT.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((field) => Number(field ?? 0));
  return zonedTimeToUtcMs({ year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! }, timeZone);
}

/** Formats an instant as a datetime-local input value (to the minute) in `timeZone`. */
export function toLocalInput(ms: number, timeZone: string): string {
  const wall = localDateTimeAt(ms, timeZone);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** Returns midnight in `timeZone` of the first day of the month that contains `ms`. */
export function startOfMonth(ms: number, timeZone: string): number {
  const wall = localDateTimeAt(ms, timeZone);
  return zonedTimeToUtcMs({ year: wall.year, month: wall.month, day: 1, hour: 0, minute: 0, second: 0 }, timeZone);
}

export const rangePresets = ['1h', '24h', '7d', '30d', 'today', 'yesterday', 'month'] as const;
export type RangePreset = (typeof rangePresets)[number];

export const RANGE_PRESET_LABELS: Record<RangePreset, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 h',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  today: 'Today',
  yesterday: 'Yesterday',
  month: 'This month',
};

const TRAILING_MS: Partial<Record<RangePreset, number>> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export function isRangePreset(value: unknown): value is RangePreset {
  return typeof value === 'string' && (rangePresets as readonly string[]).includes(value);
}

/** Computes the range a preset covers at `now`. Calendar presets follow the days of `timeZone`. */
export function presetRange(preset: RangePreset, now: number, timeZone: string): TimeRange {
  const trailing = TRAILING_MS[preset];
  if (trailing !== undefined) return { from: now - trailing, to: now };
  if (preset === 'today') return { from: startOfZonedDay(now, timeZone), to: now };
  if (preset === 'yesterday') return { from: startOfZonedDay(now, timeZone, -1), to: startOfZonedDay(now, timeZone) };
  return { from: startOfMonth(now, timeZone), to: now };
}
