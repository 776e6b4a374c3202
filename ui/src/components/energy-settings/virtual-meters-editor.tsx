import { catalogMeterUnitSchema, type CatalogMeterUnit } from '@simtestlab/sync';
import { For, Show } from 'solid-js';
import { useEditor } from './editor-context';
import { describedBy, FieldMessages, TextField, useHasError } from './field';
import { fieldElementId } from './field-errors';
import { bracedMeterReference, insertIntoFormula } from './formula-insert';
import type { SettingsMeter } from './energy-settings-api';
import { MeterPicker } from './meter-picker';
import { newVirtualMeterForm, type VirtualMeterForm } from './settings-form';

/** Renders the site's virtual meters: id, name, unit and a formula over the site's meters. */
export function VirtualMetersEditor(props: { meters: readonly SettingsMeter[] }) {
  const editor = useEditor();
  const add = () => editor.setForm('virtualMeters', (list) => [...list, newVirtualMeterForm()]);
  const remove = (index: number) => editor.setForm('virtualMeters', (list) => list.filter((_, i) => i !== index));

  return (
    <div data-testid="virtual-meters">
      <p class="field-hint">
        A formula adds, subtracts, multiplies and divides meters: ids such as <code>grid.import</code>, or braced ids such as{' '}
        <code>{'{grid-meter.TotWhImp}'}</code> for ids with other characters, numbers and parentheses. Energy and power do not mix.
      </p>
      <FieldMessages path="virtualMeters" />
      <Show when={editor.form.virtualMeters.length > 0} fallback={<p class="empty">No virtual meters.</p>}>
        <For each={editor.form.virtualMeters}>
          {(meter, index) => <VirtualMeterRow meter={meter} index={index()} meters={props.meters} onRemove={() => remove(index())} />}
        </For>
      </Show>
      <Show when={!editor.readOnly()}>
        <button type="button" class="btn-small" onClick={add} data-testid="add-virtual-meter">
          Add virtual meter
        </button>
      </Show>
    </div>
  );
}

function VirtualMeterRow(props: { meter: VirtualMeterForm; index: number; meters: readonly SettingsMeter[]; onRemove: () => void }) {
  const editor = useEditor();
  const path = () => `virtualMeters[${props.index}]`;
  const unitPath = () => `${path()}.unit`;
  const unitHasError = useHasError(unitPath);
  const title = () => `Virtual meter ${props.index + 1}${props.meter.id ? `: ${props.meter.id}` : ''}`;
  let formulaInput: HTMLInputElement | undefined;

  const set = <K extends 'id' | 'name' | 'formula'>(key: K, value: string) => editor.setForm('virtualMeters', props.index, key, value);

  const insertMeter = (meterId: string) => {
    const current = props.meter.formula;
    const start = formulaInput?.selectionStart ?? current.length;
    const end = formulaInput?.selectionEnd ?? start;
    const result = insertIntoFormula(current, start, end, bracedMeterReference(meterId));
    set('formula', result.text);
    formulaInput?.focus();
    formulaInput?.setSelectionRange(result.caret, result.caret);
  };

  return (
    <fieldset class="energy-group" data-testid={`virtual-meter-${props.index}`}>
      <legend>{title()}</legend>
      <FieldMessages path={path()} />
      <div class="energy-fields">
        <TextField path={`${path()}.id`} label="Id" placeholder="heat-pump.energy" autocomplete="off" value={props.meter.id} onValue={(value) => set('id', value)} />
        <TextField path={`${path()}.name`} label="Name" placeholder="Heat pump" value={props.meter.name} onValue={(value) => set('name', value)} />
        <div class="field">
          <label for={fieldElementId(unitPath())}>Unit</label>
          <select
            id={fieldElementId(unitPath())}
            value={props.meter.unit}
            disabled={editor.readOnly()}
            aria-invalid={unitHasError()}
            aria-describedby={describedBy(unitPath(), unitHasError())}
            onChange={(event) => editor.setForm('virtualMeters', props.index, 'unit', event.currentTarget.value as CatalogMeterUnit)}
          >
            <For each={catalogMeterUnitSchema.options}>
              {(unit) => (
                <option value={unit} selected={unit === props.meter.unit}>
                  {unit}
                </option>
              )}
            </For>
          </select>
          <FieldMessages path={unitPath()} />
        </div>
      </div>
      <TextField
        path={`${path()}.formula`}
        label="Formula"
        class="mono"
        spellcheck={false}
        autocomplete="off"
        placeholder="{grid-meter.TotWhImp} - {pv-inverter.WH}"
        ref={(element) => (formulaInput = element)}
        value={props.meter.formula}
        onValue={(value) => set('formula', value)}
      />
      <Show when={!editor.readOnly()}>
        <div class="energy-row-actions">
          <MeterPicker id={`${fieldElementId(path())}-picker`} meters={props.meters} disabled={editor.readOnly()} onInsert={insertMeter} />
          <button type="button" class="btn-small btn-danger" onClick={() => props.onRemove()} aria-label={`Remove ${title()}`}>
            Remove virtual meter
          </button>
        </div>
      </Show>
    </fieldset>
  );
}
