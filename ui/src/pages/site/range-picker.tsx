import { createEffect, createSignal, For, Show } from 'solid-js';
import type { TimeRange } from '../../site/site-api';
import { parseLocalInput, RANGE_PRESET_LABELS, rangePresets, toLocalInput, type RangePreset } from '../../site/time-range';

export interface RangePickerProps {
  /** The preset in use, or 'custom'. */
  selected: RangePreset | 'custom';
  /** The range shown now, to fill the custom fields. */
  range: TimeRange;
  timeZone: string;
  onPreset: (preset: RangePreset) => void;
  onCustom: (range: TimeRange) => void;
}

/** Range presets as a row of toggle buttons, and a custom range entered as wall-clock times in the site's time zone. */
export function RangePicker(props: RangePickerProps) {
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);

  createEffect(() => {
    setFrom(toLocalInput(props.range.from, props.timeZone));
    setTo(toLocalInput(props.range.to, props.timeZone));
  });

  const apply = (event: SubmitEvent) => {
    event.preventDefault();
    const fromMs = parseLocalInput(from(), props.timeZone);
    const toMs = parseLocalInput(to(), props.timeZone);
    if (fromMs === null || toMs === null) {
      setError('Enter both the start and the end of the range.');
      return;
    }
    if (fromMs >= toMs) {
      setError('The start must be before the end.');
      return;
    }
    setError(null);
    props.onCustom({ from: fromMs, to: toMs });
  };

  return (
    <div class="range-picker">
      <div class="button-row" role="group" aria-label="Time range">
        <For each={rangePresets}>
          {(preset) => (
            <button
              type="button"
              class="btn-small"
              classList={{ 'btn-primary': props.selected === preset }}
              aria-pressed={props.selected === preset}
              onClick={() => props.onPreset(preset)}
              data-testid={`range-${preset}`}
            >
              {RANGE_PRESET_LABELS[preset]}
            </button>
          )}
        </For>
      </div>
      <form class="inline-fields range-custom" onSubmit={apply} aria-label="Custom range">
        <div class="field">
          <label for="history-from">From</label>
          <input id="history-from" type="datetime-local" value={from()} onInput={(event) => setFrom(event.currentTarget.value)} data-testid="range-from" />
        </div>
        <div class="field">
          <label for="history-to">To</label>
          <input id="history-to" type="datetime-local" value={to()} onInput={(event) => setTo(event.currentTarget.value)} data-testid="range-to" />
        </div>
        <button type="submit" classList={{ 'btn-primary': props.selected === 'custom' }} data-testid="range-apply">
          Apply range
        </button>
        <span class="field-hint">Times in the {props.timeZone} time zone.</span>
      </form>
      <Show when={error()}>
        <p class="alert alert-error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}
