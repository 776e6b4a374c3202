import { useEditor } from './editor-context';
import { FieldMessages, TextField } from './field';

/** Renders the grid emission factor for CO2 and the night window in which the baseload is looked for. */
export function IndicatorSettingsEditor() {
  const editor = useEditor();
  return (
    <div>
      <TextField
        path="gridEmissionFactorGPerKwh"
        label="Grid emission factor (g CO2 per kWh)"
        hint="CO2 per kWh imported from the grid; leave empty to leave CO2 out of the reports."
        inputMode="decimal"
        value={editor.form.gridEmissionFactorGPerKwh}
        onValue={(value) => editor.setForm('gridEmissionFactorGPerKwh', value)}
      />
      <fieldset class="energy-group">
        <legend>Night window (local hours)</legend>
        <p class="field-hint">The baseload is the lowest consumption between these hours; the end hour is not included.</p>
        <FieldMessages path="nightWindow" />
        <div class="energy-fields">
          <TextField
            path="nightWindow.fromHour"
            label="From hour (0 to 23)"
            type="number"
            min="0"
            max="23"
            step="1"
            value={editor.form.nightFromHour}
            onValue={(value) => editor.setForm('nightFromHour', value)}
          />
          <TextField
            path="nightWindow.toHour"
            label="To hour (1 to 24)"
            type="number"
            min="1"
            max="24"
            step="1"
            value={editor.form.nightToHour}
            onValue={(value) => editor.setForm('nightToHour', value)}
          />
        </div>
      </fieldset>
    </div>
  );
}
