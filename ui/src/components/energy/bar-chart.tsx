import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import { createEffect, on, onCleanup, onMount } from 'solid-js';
import { theme } from '../../app/theme';
import { formatNumber } from '../../format/values';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

/** One series over the chart's categories; `line` draws it as a line over the bars, outside the stack. */
export interface BarSeries {
  label: string;
  values: (number | null)[];
  /** A theme variable such as `--chart-1`. */
  colour: string;
  line?: boolean;
}

export interface BarChartProps {
  /** One label per category, such as the buckets' local times. */
  categories: string[];
  series: BarSeries[];
  /** Unit of the y axis and the tooltips, such as `kWh`. */
  unit: string;
  stacked?: boolean;
  /** Accessible description of what the chart shows. */
  label: string;
  height?: number;
  testId?: string;
}

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Axis and grid colours on paper, which is white whatever theme the screen uses. */
const PRINT_COLOURS = { text: '#1f2328', grid: '#d0d7de' };

/**
 * Draws a category bar chart on chart.js in the theme's colours, optionally stacked, with line series
 * drawn over the bars. It redraws in place when its props or the theme change, with dark axis text on
 * white while the page prints, and destroys the chart when it is unmounted.
 */
export function BarChart(props: BarChartProps) {
  let canvas!: HTMLCanvasElement;
  let chart: Chart<'bar' | 'line', (number | null)[], string> | undefined;

  const datasets = (): ChartDataset<'bar' | 'line', (number | null)[]>[] =>
    props.series.map((series) => {
      const colour = cssVariable(series.colour);
      if (series.line) {
        return { type: 'line' as const, label: series.label, data: series.values, borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 0, stack: 'line', order: 0 };
      }
      return { type: 'bar' as const, label: series.label, data: series.values, backgroundColor: colour, borderWidth: 0, stack: 'bars', order: 1 };
    });

  let printing = false;

  function draw(): void {
    const grid = printing ? PRINT_COLOURS.grid : cssVariable('--chart-grid');
    const text = printing ? PRINT_COLOURS.text : cssVariable('--text-muted');
    const stacked = props.stacked ?? false;
    const options = {
      animation: false as const,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index' as const, intersect: false },
      scales: {
        x: { stacked, grid: { display: false }, ticks: { color: text, maxRotation: 0, autoSkip: true, autoSkipPadding: 8 } },
        y: {
          stacked,
          grid: { color: grid },
          title: { display: props.unit !== '', text: props.unit, color: text },
          ticks: { color: text, callback: (value: number | string) => formatNumber(Number(value)) },
        },
      },
      plugins: {
        legend: { labels: { color: text, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (item: { dataset: { label?: string }; parsed: { y: number | null } }) =>
              `${item.dataset.label ?? ''}: ${item.parsed.y === null ? '–' : formatNumber(item.parsed.y)} ${props.unit}`,
          },
        },
      },
    };
    if (!chart) {
      chart = new Chart<'bar' | 'line', (number | null)[], string>(canvas, { type: 'bar', data: { labels: props.categories, datasets: datasets() }, options });
      return;
    }
    chart.data.labels = props.categories;
    chart.data.datasets = datasets();
    chart.options = options;
    chart.update('none');
  }

  // A dark theme's light axis text would be unreadable on paper, so the chart redraws for printing and back.
  const redrawForPrint = (next: boolean) => () => {
    printing = next;
    draw();
  };
  const beforePrint = redrawForPrint(true);
  const afterPrint = redrawForPrint(false);

  onMount(() => {
    draw();
    window.addEventListener('beforeprint', beforePrint);
    window.addEventListener('afterprint', afterPrint);
  });
  createEffect(on([() => props.categories, () => props.series, () => props.stacked, theme.dark], draw, { defer: true }));
  onCleanup(() => {
    window.removeEventListener('beforeprint', beforePrint);
    window.removeEventListener('afterprint', afterPrint);
    chart?.destroy();
  });

  return (
    <div class="chart-box" style={{ height: `${props.height ?? 300}px` }} data-testid={props.testId}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
