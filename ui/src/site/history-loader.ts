import type { Resolution } from '@simtestlab/sync';
import { latestOnly } from '../api/latest';
import type { PointHistory, SiteApi, TimeRange } from './site-api';

/** A request of the history page: the points, the range and the resolution. */
export interface HistoryRequest {
  points: readonly string[];
  range: TimeRange;
  resolution: Resolution;
}

/** The result of one request: the history of each point that loaded and the error of each that did not. */
export interface HistoryResult {
  request: HistoryRequest;
  histories: PointHistory[];
  failures: { point: string; error: unknown }[];
}

/** The history view: the newest result shown, and whether a newer request is still loading. */
export interface HistoryState {
  loading: boolean;
  result: HistoryResult | null;
  /** Set when the newest request failed as a whole. */
  error: unknown;
}

/**
 * Loads the history of several points at once and reports each change of state. Only the newest request
 * may set the result, so a slow response for an older range never replaces the range the user chose last.
 */
export function createHistoryLoader(api: Pick<SiteApi, 'history'>, onChange: (state: HistoryState) => void) {
  let state: HistoryState = { loading: false, result: null, error: null };
  const update = (next: Partial<HistoryState>) => {
    state = { ...state, ...next };
    onChange(state);
  };

  const fetchAll = async (request: HistoryRequest): Promise<HistoryResult> => {
    const settled = await Promise.allSettled(request.points.map((point) => api.history(point, request.range, request.resolution)));
    const histories: PointHistory[] = [];
    const failures: HistoryResult['failures'] = [];
    settled.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') histories.push(outcome.value);
      else failures.push({ point: request.points[index]!, error: outcome.reason });
    });
    return { request, histories, failures };
  };

  const run = latestOnly(
    fetchAll,
    (result) => update({ loading: false, result, error: null }),
    (error) => update({ loading: false, error }),
  );

  return {
    load(request: HistoryRequest): Promise<void> {
      update({ loading: true, error: null });
      return run(request);
    },
    state: () => state,
  };
}
