import { createSignal, For, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage } from '../admin/action-status';
import { currencyCodeError } from './currency';

type Organization = components['schemas']['Organization'];

function knownCurrencies(): string[] {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [];
}

/**
 * Renders the organization's currency, in which every tariff and cost of its sites is given, with a
 * form for org admins and platform admins. Changing it does not convert saved prices.
 */
export function OrganizationCurrency(props: { organization: Organization; canEdit: boolean }) {
  const cloud = useCloud();
  const status = createActionStatus();
  // The saved code stays here after a save, so the table need not reload and the success message stays.
  const [saved, setSaved] = createSignal(props.organization.currency);
  const [code, setCode] = createSignal(saved());
  const inputId = () => `organization-currency-${props.organization.id}`;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const currency = code().trim().toUpperCase();
    const invalid = currencyCodeError(currency);
    if (invalid) {
      status.fail(invalid);
      return;
    }
    const updated = await status.run(
      () => unwrap(cloud.PATCH('/api/organizations/{organizationId}', { params: { path: { organizationId: props.organization.id } }, body: { currency } })),
      () => `Currency of ${props.organization.name} set to ${currency}. Prices already saved keep their numbers.`,
    );
    if (updated) setSaved(updated.currency);
  };

  return (
    <Show when={props.canEdit} fallback={<span data-testid="organization-currency">{saved()}</span>}>
      <form class="inline-fields" onSubmit={(event) => void submit(event)} data-testid="organization-currency-form">
        <div class="field">
          <label for={inputId()} class="visually-hidden">
            Currency of {props.organization.name}
          </label>
          <input
            id={inputId()}
            class="admin-inline-input"
            size={5}
            maxLength={3}
            autocomplete="off"
            list={`${inputId()}-codes`}
            placeholder="EUR"
            value={code()}
            onInput={(event) => setCode(event.currentTarget.value.toUpperCase())}
            data-testid="organization-currency-input"
          />
        </div>
        <button type="submit" class="btn-small" disabled={status.pending() || code().trim().toUpperCase() === saved()}>
          Save
        </button>
        <datalist id={`${inputId()}-codes`}>
          <For each={knownCurrencies()}>{(currency) => <option value={currency} />}</For>
        </datalist>
      </form>
      <StatusMessage status={status} testId="organization-currency-status" />
    </Show>
  );
}
