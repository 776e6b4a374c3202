import { For } from 'solid-js';
import { organizationPeriodKinds, type OrganizationPeriod, type OrganizationPeriodKind } from './organization-energy-api';
import { isLocalDate, shiftPeriodDate } from './period-date';

const kindLabels: Record<OrganizationPeriodKind, string> = { day: 'Day', week: 'Week', month: 'Month', year: 'Year' };

/** Renders the period kind, a day inside the period, and buttons that step one period back or forward. */
export function PeriodPicker(props: { period: OrganizationPeriod; onChange: (period: OrganizationPeriod) => void }) {
  const step = (steps: number) => props.onChange({ kind: props.period.kind, date: shiftPeriodDate(props.period.date, props.period.kind, steps) });

  return (
    <div class="inline-fields energy-period-picker" role="group" aria-label="Period">
      <div class="field">
        <label for="energy-period-kind">Period</label>
        <select
          id="energy-period-kind"
          value={props.period.kind}
          onChange={(event) => props.onChange({ kind: event.currentTarget.value as OrganizationPeriodKind, date: props.period.date })}
          data-testid="period-kind"
        >
          <For each={organizationPeriodKinds}>
            {(kind) => (
              <option value={kind} selected={kind === props.period.kind}>
                {kindLabels[kind]}
              </option>
            )}
          </For>
        </select>
      </div>
      <div class="field">
        <label for="energy-period-date">Day in the period</label>
        <input
          id="energy-period-date"
          type="date"
          required
          value={props.period.date}
          onChange={(event) => {
            const date = event.currentTarget.value;
            if (isLocalDate(date)) props.onChange({ kind: props.period.kind, date });
          }}
          data-testid="period-date"
        />
      </div>
      <div class="button-row">
        <button type="button" class="btn-small" onClick={() => step(-1)} aria-label={`Previous ${props.period.kind}`}>
          <span aria-hidden="true">←</span> Previous
        </button>
        <button type="button" class="btn-small" onClick={() => step(1)} aria-label={`Next ${props.period.kind}`}>
          Next <span aria-hidden="true">→</span>
        </button>
      </div>
    </div>
  );
}
