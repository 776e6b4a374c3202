import './site-widgets.css';
import type { Quality } from '@simtestlab/sync';
import { Show, type JSX } from 'solid-js';
import { qualityValueClass } from './quality';

export interface KpiTileProps {
  label: string;
  value: string;
  unit?: string;
  /** Quality of the figure. A figure that is not good gets the quality's look and word. */
  quality?: Quality | null;
  note?: JSX.Element;
  /** An extra class for the value, for figures that are not measurements, such as an alarm count. */
  valueClass?: string;
  /** Makes the whole tile a link, as for the alarms tile. */
  href?: string;
  testId: string;
}

/** Renders one headline figure: label, value with unit and a short note below. */
export function KpiTile(props: KpiTileProps) {
  const notGood = () => props.quality !== undefined && props.quality !== null && props.quality !== 'good' && props.value !== '–';
  const body = () => (
    <>
      <p class="kpi-label">{props.label}</p>
      <p class={`kpi-value ${props.quality === undefined || props.quality === null || props.value === '–' ? '' : qualityValueClass(props.quality)} ${props.valueClass ?? ''}`} data-testid={`${props.testId}-value`}>
        {props.value}
        <Show when={props.unit}>
          <span class="kpi-unit">{props.unit}</span>
        </Show>
      </p>
      <Show when={notGood() || props.note}>
        <p class="kpi-note">
          <Show when={notGood()}>
            <span class="kpi-quality" data-quality={props.quality}>
              {props.quality}
            </span>
          </Show>
          {props.note}
        </p>
      </Show>
    </>
  );
  return (
    <Show when={props.href} fallback={<div class="kpi" data-testid={props.testId}>{body()}</div>}>
      {(href) => (
        <a class="kpi kpi-link" href={href()} data-testid={props.testId}>
          {body()}
        </a>
      )}
    </Show>
  );
}
