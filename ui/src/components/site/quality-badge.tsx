import type { Quality } from '@simtestlab/sync';
import { qualityBadgeClass, qualityLabel } from './quality';

/** Shows the quality of a value as a coloured badge with a word, and the reason when the value is not good. */
export function QualityBadge(props: { quality: Quality | null; reason?: string | undefined; testId?: string }) {
  return (
    <span class={`badge ${qualityBadgeClass(props.quality)}`} data-testid={props.testId} data-quality={props.quality ?? 'none'}>
      {qualityLabel(props.quality, props.reason)}
    </span>
  );
}
