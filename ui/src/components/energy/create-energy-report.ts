import type { EnergyReport, PeriodQuery } from '@simtestlab/sync';
import { createEffect, createMemo, createSignal, on, type Accessor } from 'solid-js';
import { createEnergyReportLoader, INITIAL_REPORT_STATE, type EnergyReportState } from './energy-report-loader';

/**
 * Loads the energy report whenever the query changes, comparing queries by value. A null query loads
 * nothing, as while the site's time zone or the user's permissions are not known yet. Returns the view
 * state and a function that loads the current query again.
 */
export function createEnergyReport(load: (query: PeriodQuery) => Promise<EnergyReport>, query: Accessor<PeriodQuery | null>) {
  const [state, setState] = createSignal<EnergyReportState>(INITIAL_REPORT_STATE);
  const loader = createEnergyReportLoader(load, setState);
  const key = createMemo(() => {
    const current = query();
    return current === null ? null : JSON.stringify(current);
  });
  const reload = () => {
    const current = query();
    if (current !== null) void loader.load(current);
  };
  createEffect(on(key, reload));
  return { state: state as Accessor<EnergyReportState>, reload };
}
