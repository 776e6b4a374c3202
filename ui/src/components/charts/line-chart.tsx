import { Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import { createEffect, on, onCleanup, onMount } from 'solid-js';
import { theme } from '../../app/theme';
import { formatNumber } from '../../format/values';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend, Filler);

/** One line: its label, unit and points as epoch ms and value; null values break the line. */
export interface ChartSeries {
  label: string;
  unit: string;
  points: { x: number; y: number | null }[];
}

export interface LineChartProps {
  series: ChartSeries[];
  /** Visible time span; omitted, it follows the data. */
  from?: number;
  to?: number;
  timeZone?: string;
  /** Accessible description of what the chart shows. */
  label: string;
  /** Anything read here redraws the chart, such as the live values' version. */
  version?: () => unknown;
  height?: number;
}

const PALETTE = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6'];

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function tickFormatter(span: number, timeZone?: string) {
  const options: Intl.DateTimeFormatOptions =
    span > 2 * 86_400_000 ? { month: 'short', day: 'numeric' } : span > 3_600_000 ? { hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  const format = new Intl.DateTimeFormat(undefined, { ...options, ...(timeZone ? { timeZone } : {}) });
  return (value: number | string) => format.format(Number(value));
}

/**
 * Draws a time-series line chart on chart.js with a numeric time axis, in the theme's colours. It redraws
 * in place when the series or `version` change, without animation, so live updates stay cheap.
 */
export function LineChart(props: LineChartProps) {
  let canvas!: HTMLCanvasElement;
  let chart: Chart<'line', { x: number; y: number | null }[]> | undefined;

  /** One y axis per unit, so a temperature is not drawn flat on a power axis. */
  const units = () => [...new Set(props.series.map((series) => series.unit))];
  const axisOf = (unit: string) => `y${units().indexOf(unit)}`;

  const datasets = (): ChartDataset<'line', { x: number; y: number | null }[]>[] =>
    props.series.map((series, index) => {
      const colour = cssVariable(PALETTE[index % PALETTE.length]!);
      return {
        label: series.unit ? `${series.label} (${series.unit})` : series.label,
        data: series.points,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
        pointRadius: series.points.length < 60 ? 2 : 0,
        spanGaps: false,
        tension: 0,
        yAxisID: axisOf(series.unit),
      };
    });

  function draw(): void {
    const grid = cssVariable('--chart-grid');
    const text = cssVariable('--text-muted');
    const xs = props.series.flatMap((series) => series.points.map((point) => point.x));
    const from = props.from ?? (xs.length ? Math.min(...xs) : Date.now() - 60_000);
    const to = props.to ?? (xs.length ? Math.max(...xs) : Date.now());
    const format = tickFormatter(to - from, props.timeZone);
    const options = {
      animation: false as const,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false as const,
      normalized: true,
      interaction: { mode: 'nearest' as const, axis: 'x' as const, intersect: false },
      scales: {
        x: { type: 'linear' as const, min: from, max: to, grid: { color: grid }, ticks: { color: text, maxTicksLimit: 8, callback: format } },
        ...Object.fromEntries(
          units().map((unit, index) => [
            `y${index}`,
            {
              position: index === 0 ? ('left' as const) : ('right' as const),
              grid: { color: grid, drawOnChartArea: index === 0 },
              title: { display: units().length > 1 && unit !== '', text: unit, color: text },
              ticks: { color: text, callback: (value: number | string) => formatNumber(Number(value)) },
            },
          ]),
        ),
      },
      plugins: {
        legend: { labels: { color: text, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            title: (items: { parsed: { x: number | null } }[]) => (items[0]?.parsed.x != null ? format(items[0].parsed.x) : ''),
          },
        },
      },
    };
    if (!chart) {
      chart = new Chart<'line', { x: number; y: number | null }[]>(canvas, { type: 'line', data: { datasets: datasets() }, options });
      return;
    }
    chart.data.datasets = datasets();
    chart.options = options;
    chart.update('none');
  }

  onMount(draw);
  createEffect(on([() => props.series, () => props.from, () => props.to, () => props.version?.(), theme.dark], draw, { defer: true }));
  onCleanup(() => chart?.destroy());

  return (
    <div class="chart-box" style={{ height: `${props.height ?? 300}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
