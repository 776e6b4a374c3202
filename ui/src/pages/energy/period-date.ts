import { organizationPeriodKinds, type OrganizationPeriod, type OrganizationPeriodKind } from './organization-energy-api';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks whether a string is a calendar date as YYYY-MM-DD. */
export function isLocalDate(text: string): boolean {
  const match = LOCAL_DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** Returns the browser's local date of `now` (epoch ms) as YYYY-MM-DD. */
export function localDateOf(now: number): string {
  const date = new Date(now);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * Moves a date by `steps` periods of `kind`. A month or year step keeps the day where the target month
 * has it and uses the month's last day otherwise, so 2026-03-31 minus one month is 2026-02-28.
 */
export function shiftPeriodDate(date: string, kind: OrganizationPeriodKind, steps: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  if (kind === 'day' || kind === 'week') {
    const shifted = new Date(Date.UTC(year, month - 1, day + steps * (kind === 'week' ? 7 : 1)));
    return shifted.toISOString().slice(0, 10);
  }
  const monthIndex = year * 12 + (month - 1) + steps * (kind === 'year' ? 12 : 1);
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay))).toISOString().slice(0, 10);
}

/**
 * Reads the period from the `period` and `date` query parameters: a missing kind is a month and a missing
 * date is `today`. An invalid one falls back the same way and is listed in `problems`, such as
 * `unknown period "decade"`, so the page can correct the URL and name the invalid parameter.
 */
export function checkOrganizationPeriod(params: { period?: string; date?: string }, today: string): { period: OrganizationPeriod; problems: string[] } {
  const problems: string[] = [];
  const knownKind = organizationPeriodKinds.includes(params.period as OrganizationPeriodKind);
  if (params.period !== undefined && !knownKind) problems.push(`unknown period "${params.period}"`);
  const validDate = params.date !== undefined && isLocalDate(params.date);
  if (params.date !== undefined && !validDate) problems.push(`invalid date "${params.date}"`);
  return {
    period: { kind: knownKind ? (params.period as OrganizationPeriodKind) : 'month', date: validDate ? params.date! : today },
    problems,
  };
}
