import { Show } from 'solid-js';
import { displayUnit, formatValue } from '../../format/values';
import type { Reading } from '../../live/live-values';
import { qualityValueClass } from './quality';
import './site-widgets.css';

/**
 * Shows a point's value with its unit, styled by quality. A value that is not good also carries the
 * quality as a word, so the difference does not rest on colour alone.
 */
export function LiveValue(props: { reading: Reading | null | undefined; unit: string; testId?: string }) {
  const quality = () => props.reading?.quality ?? null;
  return (
    <span class={`live-value ${qualityValueClass(quality())}`} data-testid={props.testId} data-quality={quality() ?? 'none'}>
      {formatValue(props.reading?.value)}
      <Show when={props.unit && props.reading?.value !== null && props.reading?.value !== undefined}>
        <span class="live-value-unit">{displayUnit(props.unit)}</span>
      </Show>
      <Show when={quality() !== null && quality() !== 'good'}>
        <span class="live-value-word">{quality()}</span>
      </Show>
    </span>
  );
}
