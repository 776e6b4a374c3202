import { createSignal, Show } from 'solid-js';
import { describeError } from '../../api/api-error';

/**
 * Explains a save that the hub rejected because the organization's currency changed while the form was
 * open, and loads the current currency on request. The edits stay in the form, so the user checks the
 * prices against the new currency and saves again.
 */
export function CurrencyConflict(props: { formCurrency: string; loadCurrency: () => Promise<string>; onLoaded: (currency: string) => void }) {
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      props.onLoaded(await props.loadCurrency());
    } catch (caught) {
      setError(`Loading the currency failed: ${describeError(caught)}. Try again.`);
    } finally {
      setLoading(false);
    }
  };

  return (
    <div class="alert alert-error" role="alert" data-testid="energy-settings-currency-conflict">
      <p>
        The settings were not saved: the organization's currency is no longer {props.formCurrency}, because an org admin changed it after this page loaded. Your edits
        are kept. Load the current currency, check that the prices are meant in it, and save again.
      </p>
      <button type="button" class="btn-small" disabled={loading()} onClick={() => void load()} data-testid="energy-settings-load-currency">
        {loading() ? 'Loading the currency…' : "Load the organization's currency"}
      </button>
      <Show when={error()}>
        <p>{error()}</p>
      </Show>
    </div>
  );
}
