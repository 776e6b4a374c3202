import { catalogMeterUnitSchema } from '@simtestlab/sync';
import { createSignal, For, Show } from 'solid-js';
import type { SettingsMeter } from './energy-settings-api';

/** Meters with an energy or power unit, the only ones a formula may name, sorted by id. */
export function formulaMeters(meters: readonly SettingsMeter[]): SettingsMeter[] {
  return meters.filter((meter) => catalogMeterUnitSchema.safeParse(meter.unit).success).sort((a, b) => a.id.localeCompare(b.id));
}

/** Renders a select of the site's meters and a button that passes the chosen meter's id to `onInsert`. */
export function MeterPicker(props: { id: string; meters: readonly SettingsMeter[]; disabled: boolean; onInsert: (meterId: string) => void }) {
  const [chosen, setChosen] = createSignal('');
  const choices = () => formulaMeters(props.meters);
  const selected = () => (choices().some((meter) => meter.id === chosen()) ? chosen() : (choices()[0]?.id ?? ''));

  return (
    <Show when={choices().length > 0} fallback={<p class="field-hint">The site has no energy or power meters to insert yet.</p>}>
      <div class="energy-picker">
        <div class="field">
          <label for={props.id}>Site meter</label>
          <select id={props.id} value={selected()} disabled={props.disabled} onChange={(event) => setChosen(event.currentTarget.value)} data-testid="meter-picker">
            <For each={choices()}>
              {(meter) => (
                <option value={meter.id} selected={meter.id === selected()}>
                  {meter.name} ({meter.id}, {meter.unit}
                  {meter.role ? `, ${meter.role}` : ''})
                </option>
              )}
            </For>
          </select>
        </div>
        <button type="button" class="btn-small" disabled={props.disabled || selected() === ''} onClick={() => props.onInsert(selected())} data-testid="insert-meter">
          Insert into formula
        </button>
      </div>
    </Show>
  );
}
