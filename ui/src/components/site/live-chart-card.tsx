import { For, createMemo } from 'solid-js';
import { now } from '../../app/clock';
import { formatAgo } from '../../format/time';
import { displayUnit } from '../../format/values';
import type { LiveValues } from '../../live/live-values';
import type { HistoryRow, SitePoint } from '../../site/site-api';
import { LineChart, type ChartSeries } from '../charts/line-chart';
import { joinBackfill } from './live-selection';
import { LiveValue } from './live-value';
import { QualityBadge } from './quality-badge';
import './live-chart-card.css';

export interface LiveChartCardProps {
  unit: string;
  points: readonly SitePoint[];
  live: LiveValues;
  /** History loaded for the start of the window, per point id. */
  backfill: ReadonlyMap<string, readonly HistoryRow[]>;
  windowMs: number;
  timeZone?: string | undefined;
  deviceName(key: string): string;
}

/** Renders one chart of points that share a unit, with each point's current value, quality and age beside it. */
export function LiveChartCard(props: LiveChartCardProps) {
  const unitLabel = () => (props.unit ? displayUnit(props.unit) : 'no unit');
  const series = createMemo((): ChartSeries[] => {
    props.live.version();
    return props.points.map((point) => ({
      label: `${point.name} · ${props.deviceName(point.device)}`,
      unit: displayUnit(point.unit),
      points: joinBackfill(props.backfill.get(point.id) ?? [], props.live.series(point.id)),
    }));
  });

  return (
    <div class="card live-chart-card" data-testid={`live-chart-${props.unit || 'none'}`}>
      <div class="card-header">
        <h2>{unitLabel()}</h2>
        <span class="muted">{props.points.length === 1 ? '1 point' : `${props.points.length} points`}</span>
      </div>
      <div class="live-chart-layout">
        <div class="live-chart-plot">
          <LineChart
            series={series()}
            from={now() - props.windowMs}
            to={now()}
            label={`Live values in ${unitLabel()}: ${props.points.map((point) => point.name).join(', ')}`}
            version={props.live.version}
            height={280}
            {...(props.timeZone ? { timeZone: props.timeZone } : {})}
          />
        </div>
        <ul class="live-chart-values">
          <For each={props.points}>
            {(point) => {
              const reading = () => props.live.latest[point.id] ?? point.reading;
              return (
                <li>
                  <div class="live-chart-value-name" title={point.id}>
                    {point.name}
                  </div>
                  <div class="muted live-chart-value-device">{props.deviceName(point.device)}</div>
                  <div class="live-chart-value-row">
                    <LiveValue reading={reading()} unit={point.unit} testId={`point-value-${point.id}`} />
                    <QualityBadge quality={reading()?.quality ?? null} reason={reading()?.reason} testId={`point-quality-${point.id}`} />
                  </div>
                  <div class="muted live-chart-age">updated {formatAgo(reading()?.ts, now())}</div>
                </li>
              );
            }}
          </For>
        </ul>
      </div>
    </div>
  );
}
