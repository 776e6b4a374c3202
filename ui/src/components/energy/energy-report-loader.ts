import type { EnergyReport, PeriodQuery } from '@simtestlab/sync';
import { latestOnly } from '../../api/latest';

/** The energy view: the newest report shown, whether a newer one is loading, and the newest request's error. */
export interface EnergyReportState {
  loading: boolean;
  /** The last report that loaded. It stays in the state while the next period loads and after that load fails. */
  report: EnergyReport | null;
  /** The query `report` was loaded for, so the page can tell a report of an earlier period from the requested one. */
  reportQuery: PeriodQuery | null;
  error: unknown;
}

/** The state before the first load. */
export const INITIAL_REPORT_STATE: EnergyReportState = { loading: false, report: null, reportQuery: null, error: null };

/**
 * Loads energy reports and reports each change of state. Only the newest request may set the report or
 * the error, so quick clicks on the period arrows end on the period the picker shows even when an older
 * response arrives last.
 */
export function createEnergyReportLoader(load: (query: PeriodQuery) => Promise<EnergyReport>, onChange: (state: EnergyReportState) => void) {
  let state: EnergyReportState = INITIAL_REPORT_STATE;
  const update = (next: Partial<EnergyReportState>) => {
    state = { ...state, ...next };
    onChange(state);
  };
  const run = latestOnly(
    async (query: PeriodQuery) => ({ query, report: await load(query) }),
    (loaded) => update({ loading: false, report: loaded.report, reportQuery: loaded.query, error: null }),
    (error) => update({ loading: false, error }),
  );
  return {
    load(query: PeriodQuery): Promise<void> {
      update({ loading: true, error: null });
      return run(query);
    },
    state: () => state,
  };
}

/** Returns whether two period queries name the same period. */
export function sameQuery(left: PeriodQuery | null, right: PeriodQuery | null): boolean {
  return left !== null && right !== null && JSON.stringify(left) === JSON.stringify(right);
}
