import { createEffect, createSignal, on, type Accessor } from 'solid-js';
import { latestOnly } from '../../api/latest';
import type { HistoryRow, SiteApi, SitePoint } from '../../site/site-api';

/**
 * Loads the history of `points` over the last `windowMs`, again whenever either changes, so charts
 * can show the start of their window, because the live stream only has what arrived since the site
 * was opened. A late response never replaces the one for a newer selection.
 */
export function createBackfill(api: SiteApi, points: Accessor<readonly SitePoint[]>, windowMs: Accessor<number>) {
  const [rows, setRows] = createSignal<ReadonlyMap<string, readonly HistoryRow[]>>(new Map());
  const [error, setError] = createSignal<unknown>(null);
  const load = latestOnly(
    async (chosen: readonly SitePoint[], spanMs: number) => {
      const to = Date.now();
      const range = { from: to - spanMs, to };
      // The hub keeps rollups, not raw samples, so in the cloud the window fills with 1-minute buckets.
      const resolution = api.mode === 'edge' ? 'raw' : '1m';
      const histories = await Promise.all(chosen.map((point) => api.history(point.id, range, resolution)));
      return new Map(histories.map((history) => [history.point, history.rows]));
    },
    (loaded) => {
      setRows(loaded);
      setError(null);
    },
    setError,
  );
  createEffect(on([points, windowMs], ([chosen, spanMs]) => void load(chosen, spanMs)));
  return { rows, error };
}
