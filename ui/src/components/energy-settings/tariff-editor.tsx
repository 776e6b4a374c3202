import { Show } from 'solid-js';
import { useEditor } from './editor-context';
import { FieldMessages, TextField } from './field';
import { fieldElementId } from './field-errors';
import type { TariffForm } from './settings-form';
import { TimeOfUseEditor } from './time-of-use-editor';

/** Renders one dated tariff: its start day, the import price (flat or time-of-use), the feed-in price and the demand charge. */
export function TariffEditor(props: { tariff: TariffForm; index: number; onRemove: () => void }) {
  const editor = useEditor();
  const path = () => `tariffs[${props.index}]`;
  const tariffPath = () => `${path()}.tariff`;
  const currency = () => editor.currency();
  const kindName = () => `tariff-${props.index}-kind`;
  const title = () => `Tariff from ${props.tariff.validFrom || '(no start day)'}`;
  const set = <K extends 'validFrom' | 'flatPricePerKwh' | 'exportPricePerKwh' | 'demandPricePerKw'>(key: K, value: string) =>
    editor.setForm('tariffs', props.index, key, value);

  return (
    <fieldset class="energy-group energy-tariff" data-testid={`tariff-${props.index}`}>
      <legend>{title()}</legend>
      <FieldMessages path={path()} />
      <FieldMessages path={tariffPath()} />
      <div class="energy-fields">
        <TextField
          path={`${path()}.validFrom`}
          label="Valid from"
          type="date"
          hint={`First local day in ${editor.timeZone()}, the site's time zone, whose clock the tariff follows; it applies until the next tariff starts.`}
          value={props.tariff.validFrom}
          onValue={(value) => set('validFrom', value)}
        />
        <div class="field">
          <span class="energy-label">Currency</span>
          <p class="energy-static" data-testid="tariff-currency">
            {currency()}
          </p>
          <FieldMessages path={`${tariffPath()}.currency`} />
        </div>
      </div>
      <fieldset class="energy-choice" id={fieldElementId(`${tariffPath()}.import.kind`)}>
        <legend>Import price</legend>
        <label>
          <input
            type="radio"
            name={kindName()}
            value="flat"
            checked={props.tariff.importKind === 'flat'}
            disabled={editor.readOnly()}
            onChange={() => editor.setForm('tariffs', props.index, 'importKind', 'flat')}
          />{' '}
          Flat
        </label>
        <label>
          <input
            type="radio"
            name={kindName()}
            value="time-of-use"
            checked={props.tariff.importKind === 'time-of-use'}
            disabled={editor.readOnly()}
            onChange={() => editor.setForm('tariffs', props.index, 'importKind', 'time-of-use')}
            data-testid="tariff-kind-time-of-use"
          />{' '}
          Time of use
        </label>
      </fieldset>
      <FieldMessages path={`${tariffPath()}.import`} />
      <Show
        when={props.tariff.importKind === 'time-of-use'}
        fallback={
          <TextField
            path={`${tariffPath()}.import.pricePerKwh`}
            label={`Price per kWh (${currency()})`}
            inputMode="decimal"
            value={props.tariff.flatPricePerKwh}
            onValue={(value) => set('flatPricePerKwh', value)}
          />
        }
      >
        <TimeOfUseEditor tariffIndex={props.index} priceUnit={currency()} />
      </Show>
      <div class="energy-fields">
        <TextField
          path={`${tariffPath()}.export.pricePerKwh`}
          label={`Feed-in price per kWh (${currency()})`}
          hint="Paid for exported energy; leave empty when export is not paid."
          inputMode="decimal"
          value={props.tariff.exportPricePerKwh}
          onValue={(value) => set('exportPricePerKwh', value)}
        />
        <TextField
          path={`${tariffPath()}.demand.pricePerKw`}
          label={`Demand charge per kW (${currency()})`}
          hint="Billed on the month's highest 15-minute average import; leave empty for none."
          inputMode="decimal"
          value={props.tariff.demandPricePerKw}
          onValue={(value) => set('demandPricePerKw', value)}
        />
      </div>
      <Show when={!editor.readOnly()}>
        <button type="button" class="btn-small btn-danger" onClick={() => props.onRemove()} aria-label={`Remove ${title()}`}>
          Remove tariff
        </button>
      </Show>
    </fieldset>
  );
}
