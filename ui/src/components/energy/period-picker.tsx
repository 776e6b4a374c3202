import type { PeriodQuery } from '@simtestlab/sync';
import { MAX_CUSTOM_PERIOD_DAYS } from '@simtestlab/sync';
import { createEffect, createSignal, For, Show } from 'solid-js';
import { periodTitle } from './energy-labels';
import { daysBetween, periodDays, shiftQuery, startsAfter } from './energy-period';

const PRESETS = [
  { period: 'day', label: 'Today' },
  { period: 'week', label: 'This week' },
  { period: 'month', label: 'This month' },
  { period: 'year', label: 'This year' },
] as const;

export interface PeriodPickerProps {
  query: PeriodQuery;
  /** Today's local date in the site's zone. */
  today: string;
  timeZone: string;
  onChange: (query: PeriodQuery) => void;
}

/**
 * Chooses the period of the energy page: presets for the current day, week, month or year, arrows to the
 * previous and next period of the same kind, and a custom span of local dates. Every control is a
 * native button or date input, so it works with the keyboard.
 */
export function PeriodPicker(props: PeriodPickerProps) {
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);

  createEffect(() => {
    const days = periodDays(props.query);
    setFrom(days.from);
    setTo(days.to);
  });

  const next = () => shiftQuery(props.query, 1);
  const isCurrent = (period: PeriodQuery['period']) => {
    if (props.query.period !== period) return false;
    const days = periodDays(props.query);
    return days.from <= props.today && props.today <= days.to;
  };

  const apply = (event: SubmitEvent) => {
    event.preventDefault();
    if (!from() || !to()) {
      setError('Enter both the first and the last day.');
      return;
    }
    if (to() < from()) {
      setError(`The last day ${to()} is before the first day ${from()}: swap them.`);
      return;
    }
    if (daysBetween(from(), to()) > MAX_CUSTOM_PERIOD_DAYS) {
      setError(`A custom period covers at most ${MAX_CUSTOM_PERIOD_DAYS} days: choose a shorter span or a year.`);
      return;
    }
    setError(null);
    props.onChange({ period: 'custom', date: from(), from: from(), to: to() });
  };

  return (
    <div class="energy-picker" data-testid="energy-period-picker">
      <div class="energy-picker-row">
        <div class="button-row" role="group" aria-label="Period">
          <For each={PRESETS}>
            {(preset) => (
              <button
                type="button"
                class="btn-small"
                classList={{ 'btn-primary': isCurrent(preset.period) }}
                aria-pressed={isCurrent(preset.period)}
                onClick={() => props.onChange({ period: preset.period, date: props.today })}
                data-testid={`energy-period-${preset.period}`}
              >
                {preset.label}
              </button>
            )}
          </For>
        </div>
        <div class="button-row energy-step" role="group" aria-label="Step through periods">
          <button type="button" class="btn-small" aria-label="Previous period" onClick={() => props.onChange(shiftQuery(props.query, -1))} data-testid="energy-previous">
            ‹
          </button>
          <h2 class="energy-period-title" aria-live="polite" data-testid="energy-period-title">
            {periodTitle(props.query)}
          </h2>
          <button
            type="button"
            class="btn-small"
            aria-label="Next period"
            disabled={startsAfter(next(), props.today)}
            onClick={() => props.onChange(next())}
            data-testid="energy-next"
          >
            ›
          </button>
        </div>
      </div>
      <form class="inline-fields energy-custom" onSubmit={apply} aria-label="Custom period">
        <div class="field">
          <label for="energy-from">First day</label>
          <input id="energy-from" type="date" value={from()} onInput={(event) => setFrom(event.currentTarget.value)} data-testid="energy-from" />
        </div>
        <div class="field">
          <label for="energy-to">Last day</label>
          <input id="energy-to" type="date" value={to()} onInput={(event) => setTo(event.currentTarget.value)} data-testid="energy-to" />
        </div>
        <button type="submit" class="btn-small" classList={{ 'btn-primary': props.query.period === 'custom' }} data-testid="energy-apply">
          Show period
        </button>
        <span class="field-hint" data-testid="energy-time-zone">
          Days and times in the site's time zone, {props.timeZone}.
        </span>
      </form>
      <Show when={error()}>
        <p class="alert alert-error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}
