import {
  computeEnergyReport,
  PeriodRangeError,
  ReportResolutionError,
  periodRangeFromQuery,
  previousPeriod,
  type EnergyReport,
  type EnergyReportInput,
  type PeriodQuery,
} from '@simtestlab/sync';
import { HttpError } from '../api/http-error';
import type { ReportRanges } from './report-input';

/**
 * Resolves a period query in a site's time zone, with the previous period when `withPrevious` is set.
 * A PeriodRangeError (a custom period longer than 366 days, for example) becomes a 400 naming the
 * parameter to change. Any other error, such as an unknown stored time zone, stays a 500.
 */
export function resolveRanges(query: PeriodQuery, timeZone: string, withPrevious: boolean): ReportRanges {
  try {
    const range = periodRangeFromQuery(query, timeZone);
    return withPrevious ? { range, previous: previousPeriod(range) } : { range };
  } catch (error) {
    if (!(error instanceof PeriodRangeError)) throw error;
    throw new HttpError(400, 'invalid_request', error.message, { parameter: query.period === 'custom' ? 'to' : 'date' });
  }
}

/** Computes a report, turning the rejection of a requested resolution that does not fit the period into a 400. */
export function computeReport(input: EnergyReportInput): EnergyReport {
  try {
    return computeEnergyReport(input);
  } catch (error) {
    if (!(error instanceof ReportResolutionError)) throw error;
    throw new HttpError(400, 'invalid_request', error.message, { parameter: 'resolution' });
  }
}
