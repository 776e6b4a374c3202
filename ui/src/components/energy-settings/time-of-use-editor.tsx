import type { Weekday } from '@simtestlab/sync';
import { For, Show } from 'solid-js';
import { useEditor } from './editor-context';
import { describedBy, FieldMessages, TextField, useHasError } from './field';
import { fieldElementId } from './field-errors';
import { newPeriodForm, newSeasonForm, weekdayOrder, type PeriodForm, type SeasonForm } from './settings-form';

const weekdayLabels: Record<Weekday, { short: string; long: string }> = {
  mon: { short: 'Mo', long: 'Monday' },
  tue: { short: 'Tu', long: 'Tuesday' },
  wed: { short: 'We', long: 'Wednesday' },
  thu: { short: 'Th', long: 'Thursday' },
  fri: { short: 'Fr', long: 'Friday' },
  sat: { short: 'Sa', long: 'Saturday' },
  sun: { short: 'Su', long: 'Sunday' },
};

/** Renders the seasons and default price of the time-of-use tariff at `tariffs[tariffIndex]`. */
export function TimeOfUseEditor(props: { tariffIndex: number; priceUnit: string }) {
  const editor = useEditor();
  const importPath = () => `tariffs[${props.tariffIndex}].tariff.import`;
  const seasons = () => editor.form.tariffs[props.tariffIndex]?.seasons ?? [];

  const addSeason = () => editor.setForm('tariffs', props.tariffIndex, 'seasons', (list) => [...list, newSeasonForm()]);
  const removeSeason = (index: number) => editor.setForm('tariffs', props.tariffIndex, 'seasons', (list) => list.filter((_, i) => i !== index));

  return (
    <div class="energy-tou" data-testid="time-of-use-editor">
      <TextField
        path={`${importPath()}.defaultPricePerKwh`}
        label={`Default price per kWh (${props.priceUnit})`}
        hint="Applies at any time no season period covers."
        inputMode="decimal"
        value={editor.form.tariffs[props.tariffIndex]?.defaultPricePerKwh ?? ''}
        onValue={(value) => editor.setForm('tariffs', props.tariffIndex, 'defaultPricePerKwh', value)}
      />
      <FieldMessages path={`${importPath()}.seasons`} />
      <For each={seasons()}>
        {(season, seasonIndex) => (
          <SeasonEditor
            season={season}
            tariffIndex={props.tariffIndex}
            seasonIndex={seasonIndex()}
            path={`${importPath()}.seasons[${seasonIndex()}]`}
            priceUnit={props.priceUnit}
            onRemove={() => removeSeason(seasonIndex())}
          />
        )}
      </For>
      <Show when={!editor.readOnly()}>
        <button type="button" class="btn-small" onClick={addSeason} data-testid="add-season">
          Add season
        </button>
      </Show>
    </div>
  );
}

function SeasonEditor(props: { season: SeasonForm; tariffIndex: number; seasonIndex: number; path: string; priceUnit: string; onRemove: () => void }) {
  const editor = useEditor();
  const setSeason = <K extends 'name' | 'from' | 'to'>(key: K, value: string) =>
    editor.setForm('tariffs', props.tariffIndex, 'seasons', props.seasonIndex, key, value);
  const addPeriod = () => editor.setForm('tariffs', props.tariffIndex, 'seasons', props.seasonIndex, 'periods', (list) => [...list, newPeriodForm()]);
  const removePeriod = (index: number) =>
    editor.setForm('tariffs', props.tariffIndex, 'seasons', props.seasonIndex, 'periods', (list) => list.filter((_, i) => i !== index));
  const title = () => `Season ${props.seasonIndex + 1}${props.season.name ? `: ${props.season.name}` : ''}`;

  return (
    <fieldset class="energy-group" data-testid={`season-${props.seasonIndex}`}>
      <legend>{title()}</legend>
      <FieldMessages path={props.path} />
      <div class="energy-fields">
        <TextField path={`${props.path}.name`} label="Name" placeholder="Winter" value={props.season.name} onValue={(value) => setSeason('name', value)} />
        <TextField path={`${props.path}.from`} label="First day (MM-DD)" placeholder="10-01" value={props.season.from} onValue={(value) => setSeason('from', value)} />
        <TextField path={`${props.path}.to`} label="Last day (MM-DD)" placeholder="03-31" value={props.season.to} onValue={(value) => setSeason('to', value)} />
      </div>
      <p class="field-hint">A season whose first day comes after its last day runs over the new year.</p>
      <FieldMessages path={`${props.path}.periods`} />
      <For each={props.season.periods}>
        {(period, periodIndex) => (
          <PeriodEditor
            period={period}
            tariffIndex={props.tariffIndex}
            seasonIndex={props.seasonIndex}
            periodIndex={periodIndex()}
            path={`${props.path}.periods[${periodIndex()}]`}
            priceUnit={props.priceUnit}
            onRemove={() => removePeriod(periodIndex())}
          />
        )}
      </For>
      <Show when={!editor.readOnly()}>
        <div class="button-row">
          <button type="button" class="btn-small" onClick={addPeriod} data-testid="add-period">
            Add period
          </button>
          <button type="button" class="btn-small btn-danger" onClick={() => props.onRemove()} aria-label={`Remove ${title()}`}>
            Remove season
          </button>
        </div>
      </Show>
    </fieldset>
  );
}

function PeriodEditor(props: {
  period: PeriodForm;
  tariffIndex: number;
  seasonIndex: number;
  periodIndex: number;
  path: string;
  priceUnit: string;
  onRemove: () => void;
}) {
  const editor = useEditor();
  const setPeriod = <K extends 'name' | 'from' | 'to' | 'pricePerKwh'>(key: K, value: string) =>
    editor.setForm('tariffs', props.tariffIndex, 'seasons', props.seasonIndex, 'periods', props.periodIndex, key, value);
  const toggleDay = (day: Weekday, on: boolean) => {
    editor.touch(daysPath());
    editor.setForm('tariffs', props.tariffIndex, 'seasons', props.seasonIndex, 'periods', props.periodIndex, 'days', (days) =>
      weekdayOrder.filter((candidate) => (candidate === day ? on : days.includes(candidate))),
    );
  };
  const daysPath = () => `${props.path}.days`;
  const daysHaveError = useHasError(daysPath);
  const title = () => `Period ${props.periodIndex + 1}${props.period.name ? `: ${props.period.name}` : ''}`;

  return (
    <fieldset class="energy-group energy-period" data-testid={`period-${props.periodIndex}`}>
      <legend>{title()}</legend>
      <FieldMessages path={props.path} />
      <div class="energy-fields">
        <TextField path={`${props.path}.name`} label="Name" placeholder="Peak" value={props.period.name} onValue={(value) => setPeriod('name', value)} />
        <TextField path={`${props.path}.from`} label="From (HH:MM)" placeholder="07:00" value={props.period.from} onValue={(value) => setPeriod('from', value)} />
        <TextField path={`${props.path}.to`} label="To (HH:MM)" placeholder="21:00" hint="24:00 is the end of the day." value={props.period.to} onValue={(value) => setPeriod('to', value)} />
        <TextField
          path={`${props.path}.pricePerKwh`}
          label={`Price per kWh (${props.priceUnit})`}
          inputMode="decimal"
          value={props.period.pricePerKwh}
          onValue={(value) => setPeriod('pricePerKwh', value)}
        />
      </div>
      <fieldset class="energy-days" id={fieldElementId(daysPath())} aria-invalid={daysHaveError()} aria-describedby={describedBy(daysPath(), daysHaveError())}>
        <legend>Days</legend>
        <For each={weekdayOrder}>
          {(day) => (
            <label class="energy-day">
              <input
                type="checkbox"
                checked={props.period.days.includes(day)}
                disabled={editor.readOnly()}
                onChange={(event) => toggleDay(day, event.currentTarget.checked)}
                aria-label={weekdayLabels[day].long}
              />
              <span aria-hidden="true">{weekdayLabels[day].short}</span>
            </label>
          )}
        </For>
      </fieldset>
      <FieldMessages path={daysPath()} />
      <Show when={!editor.readOnly()}>
        <button type="button" class="btn-small btn-danger" onClick={() => props.onRemove()} aria-label={`Remove ${title()}`}>
          Remove period
        </button>
      </Show>
    </fieldset>
  );
}
