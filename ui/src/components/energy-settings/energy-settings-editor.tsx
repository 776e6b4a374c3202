import type { SiteEnergySettings } from '@simtestlab/sync';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { createStore, type SetStoreFunction } from 'solid-js/store';
import { ApiError, describeError } from '../../api/api-error';
import { CurrencyConflict } from './currency-conflict';
import { EditorContext, type EditorServices } from './editor-context';
import type { EnergySettingsResponse } from './energy-settings-api';
import { ErrorSummary } from './error-summary';
import { FieldMessages } from './field';
import { fieldErrorsFromSaveError, mergeFieldErrors, visibleFieldErrors, withServerErrors, type FieldErrors } from './field-errors';
import { IndicatorSettingsEditor } from './indicator-settings-editor';
import { formToSettings } from './settings-check';
import { newTariffForm, settingsToForm, type SettingsForm } from './settings-form';
import { TariffEditor } from './tariff-editor';
import { guardUnsavedChanges } from './unsaved-changes';
import { VirtualMetersEditor } from './virtual-meters-editor';
import './energy-settings.css';

/** Returns today's date in `timeZone` as YYYY-MM-DD, the start day of a new tariff. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
}

/**
 * Renders the editor of one site's energy settings: tariffs, virtual meters, the emission factor and the
 * night window. The form is checked with the shared schemas on every change. `save` sends the settings
 * and rejects with the hub's error, whose `parameter` or `issues` place each message next to its field.
 * When the hub rejects the currency, `loadCurrency` reads the organization's current one and the edits
 * stay. Leaving the page with unsaved changes needs a confirmation.
 */
export function EnergySettingsEditor(props: {
  loaded: EnergySettingsResponse;
  siteTimeZone: string;
  readOnly: boolean;
  save: (settings: SiteEnergySettings) => Promise<void>;
  loadCurrency: () => Promise<string>;
}) {
  const [form, setStoreForm] = createStore<SettingsForm>(settingsToForm(props.loaded.settings));
  // The form as last loaded or saved, as JSON, so any difference is an unsaved change.
  const [savedForm, setSavedForm] = createSignal(JSON.stringify(form));
  const unsaved = createMemo(() => !props.readOnly && JSON.stringify(form) !== savedForm());
  guardUnsavedChanges(unsaved);
  const [currency, setCurrency] = createSignal(props.loaded.currency);
  // The hub rejected the save because the organization's currency is no longer `currency()`.
  const [currencyConflict, setCurrencyConflict] = createSignal(false);
  const [currencyReloaded, setCurrencyReloaded] = createSignal(false);
  const [touched, setTouched] = createSignal<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = createSignal(false);
  const [serverErrors, setServerErrors] = createSignal<FieldErrors>({});
  const [pending, setPending] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  let summary: HTMLDivElement | undefined;
  // After a failed save the focus moves to the list of problems, whose links lead to the fields.
  const focusSummary = () => queueMicrotask(() => summary?.focus());

  // Any edit makes the last save's outcome stale, so its messages go.
  const setForm = ((...args: unknown[]) => {
    setServerErrors({});
    setSaved(false);
    return (setStoreForm as (...values: unknown[]) => void)(...args);
  }) as SetStoreFunction<SettingsForm>;

  const check = createMemo(() => formToSettings(form, { currency: currency(), timeZone: props.siteTimeZone, meters: props.loaded.meters }));
  const errors = createMemo(() => {
    const client = visibleFieldErrors(mergeFieldErrors(check().errors, check().formulaWarnings), { touched: touched(), submitted: submitted() });
    return withServerErrors(client, serverErrors());
  });

  // A save was tried and failed, in the browser's check or at the hub.
  const attempted = () => submitted() || Object.keys(serverErrors()).length > 0;

  const services: EditorServices = {
    form,
    setForm,
    errors,
    readOnly: () => props.readOnly,
    currency,
    timeZone: () => props.siteTimeZone,
    touch: (path) => {
      if (!touched().has(path)) setTouched(new Set([...touched(), path]));
    },
  };

  const addTariff = () => setForm('tariffs', (list) => [...list, newTariffForm(todayIn(props.siteTimeZone))]);
  const removeTariff = (index: number) => setForm('tariffs', (list) => list.filter((_, i) => i !== index));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setSaved(false);
    const settings = check().settings;
    if (settings === null) {
      focusSummary();
      return;
    }
    setPending(true);
    setCurrencyReloaded(false);
    try {
      await props.save(settings);
      setSavedForm(JSON.stringify(form));
      setSubmitted(false);
      setTouched(new Set<string>());
      setSaved(true);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'currency_mismatch') {
        setCurrencyConflict(true);
        return;
      }
      setServerErrors(fieldErrorsFromSaveError(error, describeError));
      focusSummary();
    } finally {
      setPending(false);
    }
  };

  return (
    <EditorContext.Provider value={services}>
      <form class="energy-settings" onSubmit={(event) => void submit(event)} novalidate data-testid="energy-settings-form">
        <ErrorSummary errors={errors()} heading={attempted() ? 'The settings were not saved:' : 'Check these fields:'} announce={attempted()} ref={(element) => (summary = element)} />
        <Show when={currencyConflict()}>
          <CurrencyConflict
            formCurrency={currency()}
            loadCurrency={props.loadCurrency}
            onLoaded={(loaded) => {
              setCurrency(loaded);
              setCurrencyConflict(false);
              setCurrencyReloaded(true);
            }}
          />
        </Show>
        <Show when={currencyReloaded()}>
          <div class="alert alert-info" role="status" data-testid="energy-settings-currency-loaded">
            Prices are now saved in {currency()}. Check that each price is meant in {currency()}, then save again.
          </div>
        </Show>
        <Show when={saved()}>
          <div class="alert alert-success" role="status" data-testid="energy-settings-saved">
            Energy settings saved. The edge node receives them with its next sync.
          </div>
        </Show>
        <fieldset class="energy-fieldset" disabled={props.readOnly}>
          <section class="card" aria-labelledby="energy-tariffs-heading">
            <div class="card-header">
              <h2 id="energy-tariffs-heading">Tariffs</h2>
            </div>
            <p class="field-hint">
              Prices are in the organization's currency ({currency()}), which org admins set on the Organizations page. Each tariff
              applies from its first day until the next tariff starts; earlier periods keep the tariff that applied then.
            </p>
            <FieldMessages path="tariffs" />
            <Show when={form.tariffs.length > 0} fallback={<p class="empty">No tariffs: reports show energy without cost.</p>}>
              <For each={form.tariffs}>{(tariff, index) => <TariffEditor tariff={tariff} index={index()} onRemove={() => removeTariff(index())} />}</For>
            </Show>
            <Show when={!props.readOnly}>
              <button type="button" class="btn-small" onClick={addTariff} data-testid="add-tariff">
                Add tariff
              </button>
            </Show>
          </section>
          <section class="card" aria-labelledby="energy-virtual-meters-heading">
            <div class="card-header">
              <h2 id="energy-virtual-meters-heading">Virtual meters</h2>
            </div>
            <VirtualMetersEditor meters={props.loaded.meters} />
          </section>
          <section class="card" aria-labelledby="energy-indicators-heading">
            <div class="card-header">
              <h2 id="energy-indicators-heading">CO2 and baseload</h2>
            </div>
            <IndicatorSettingsEditor />
          </section>
        </fieldset>
        <Show when={!props.readOnly}>
          <div class="button-row energy-save-row">
            <button type="submit" class="btn-primary" disabled={pending()} data-testid="save-energy-settings">
              {pending() ? 'Saving…' : 'Save energy settings'}
            </button>
          </div>
        </Show>
      </form>
    </EditorContext.Provider>
  );
}
