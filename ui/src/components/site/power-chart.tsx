import { createMemo } from 'solid-js';
import { now } from '../../app/clock';
import { LIVE_WINDOW_MS, type LiveValues } from '../../live/live-values';
import type { SiteApi, SitePoint } from '../../site/site-api';
import { LineChart, type ChartSeries } from '../charts/line-chart';
import { createBackfill } from './create-backfill';
import { isRolePowerPoint } from './live-kpis';
import { backfilledSamples } from './live-selection';
import { consumptionPowerW, hasRole, rolePowerW } from './power-series';

const toKw = (points: { x: number; y: number }[]) => points.map((point) => ({ x: point.x, y: point.y / 1_000 }));

/**
 * Charts grid, PV and consumption power of the last 15 minutes in kW: history for the start of the window,
 * then the live stream.
 */
export function PowerChart(props: { api: SiteApi; points: readonly SitePoint[]; live: LiveValues; timeZone?: string | undefined }) {
  const rolePoints = createMemo(() => props.points.filter(isRolePowerPoint));
  const backfill = createBackfill(props.api, rolePoints, () => LIVE_WINDOW_MS);

  const series = createMemo((): ChartSeries[] => {
    props.live.version();
    const history = backfill.rows();
    const seriesOf = (pointId: string) => backfilledSamples(history.get(pointId) ?? [], props.live.series(pointId));
    const points = rolePoints();
    const lines: ChartSeries[] = [];
    if (hasRole(points, 'grid')) lines.push({ label: 'Grid', unit: 'kW', points: toKw(rolePowerW(points, ['grid'], seriesOf)) });
    if (hasRole(points, 'pv')) lines.push({ label: 'PV', unit: 'kW', points: toKw(rolePowerW(points, ['pv'], seriesOf)) });
    if (hasRole(points, 'consumption') || lines.length > 0) lines.push({ label: 'Consumption', unit: 'kW', points: toKw(consumptionPowerW(points, seriesOf)) });
    return lines;
  });

  return (
    <LineChart
      series={series()}
      from={now() - LIVE_WINDOW_MS}
      to={now()}
      label="Grid, PV and consumption power over the last 15 minutes"
      height={260}
      {...(props.timeZone ? { timeZone: props.timeZone } : {})}
    />
  );
}
