import type { ControlLease, ControlResult, ControlWriteBody } from '@simtestlab/sync';
import { For, Match, Show, Switch, createSignal } from 'solid-js';
import { now } from '../../app/clock';
import { formatCountdown } from '../../format/time';
import { displayUnit, formatNumber } from '../../format/values';
import type { Reading } from '../../live/live-values';
import type { SitePoint } from '../../site/site-api';
import { ConfirmDialog } from './confirm-dialog';
import { ControlResultView, type ControlOutcome } from './control-result';
import { controlInputKind, describeControlLimits, formatControlValue, limitWarning, parseControlValue, parseLease } from './control-input';
import { LeaseStatus } from './lease-status';
import { LiveValue } from './live-value';
import './control-form.css';

export interface ControlFormProps {
  point: SitePoint;
  reading: Reading | null;
  lease: ControlLease | undefined;
  mode: 'edge' | 'cloud';
  timeZone?: string | undefined;
  send(body: ControlWriteBody): Promise<ControlResult>;
  release(): Promise<ControlResult>;
  /** Called after every command, whether it succeeded or failed, so the page reloads the leases. */
  onCommandDone(): void;
}

/** A command waiting for the user's confirmation. */
type Pending =
  | { kind: 'write'; body: ControlWriteBody }
  | { kind: 'release' }
  /** The edge asked for a second confirmation of a write to a dangerous point. */
  | { kind: 'dangerous'; body: ControlWriteBody; message: string; expiresAt: number | undefined };

/**
 * Renders the control of one writable point: its limits, a value and optional lease, a confirmation
 * before anything is sent, the edge's second confirmation for dangerous points, the result, and the lease the
 * point is under with a Release button.
 */
export function ControlForm(props: ControlFormProps) {
  const kind = () => controlInputKind(props.point.dataType);
  const unit = () => displayUnit(props.point.unit);
  const id = (name: string) => `control-${name}-${props.point.id}`;
  // The input starts empty, so a value is only sent when the user typed or chose one.
  const [valueText, setValueText] = createSignal('');
  const [leaseText, setLeaseText] = createSignal('');
  const [inputError, setInputError] = createSignal<string | null>(null);
  const [pending, setPending] = createSignal<Pending | null>(null);
  const [busy, setBusy] = createSignal<'write' | 'release' | null>(null);
  const [outcome, setOutcome] = createSignal<ControlOutcome | null>(null);

  const pendingValue = () => {
    const waiting = pending();
    return waiting && waiting.kind !== 'release' ? waiting.body.value : null;
  };
  const pendingWarning = () => {
    const value = pendingValue();
    return value === null ? null : limitWarning(props.point, value);
  };
  const pendingLease = () => {
    const waiting = pending();
    return waiting && waiting.kind !== 'release' ? waiting.body.leaseS : undefined;
  };

  function submit(event: SubmitEvent): void {
    event.preventDefault();
    const value = parseControlValue(kind(), valueText());
    if (!value.ok) return void setInputError(value.message);
    const lease = parseLease(leaseText());
    if (!lease.ok) return void setInputError(lease.message);
    setInputError(null);
    setPending({ kind: 'write', body: lease.leaseS === undefined ? { value: value.value } : { value: value.value, leaseS: lease.leaseS } });
  }

  async function confirm(): Promise<void> {
    const waiting = pending();
    if (!waiting) return;
    setPending(null);
    setBusy(waiting.kind === 'release' ? 'release' : 'write');
    try {
      const result = waiting.kind === 'release' ? await props.release() : await props.send(waiting.body);
      if (waiting.kind !== 'release' && !result.ok && result.code === 'confirmation_required' && result.confirmationToken) {
        setOutcome(null);
        setPending({
          kind: 'dangerous',
          body: { ...waiting.body, confirmationToken: result.confirmationToken },
          message: result.message,
          expiresAt: result.confirmationExpiresAt,
        });
        return;
      }
      setOutcome({ kind: 'result', result });
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    } finally {
      setBusy(null);
      props.onCommandDone();
    }
  }

  function cancel(): void {
    setPending(null);
    setOutcome({ kind: 'cancelled' });
  }

  return (
    <div class="card control-card" id={`control-${props.point.id}`} data-testid={`control-form-${props.point.id}`}>
      <div class="card-header">
        <h3>{props.point.name}</h3>
        <LiveValue reading={props.reading} unit={props.point.unit} />
      </div>
      <p class="muted mono control-point-id">{props.point.id}</p>

      <Show when={describeControlLimits(props.point).length > 0}>
        <dl class="control-limits" data-testid={`control-limits-${props.point.id}`}>
          <For each={describeControlLimits(props.point)}>
            {(limit) => (
              <div>
                <dt>{limit.name}</dt>
                <dd>{limit.text}</dd>
              </div>
            )}
          </For>
        </dl>
      </Show>

      <form class="inline-fields control-fields" onSubmit={submit} novalidate>
        <div class="field">
          <label for={id('value')}>New value{unit() ? ` (${unit()})` : ''}</label>
          <Switch>
            <Match when={kind() === 'boolean'}>
              <select id={id('value')} value={valueText()} onChange={(event) => setValueText(event.currentTarget.value)} data-testid={`control-value-${props.point.id}`}>
                <option value="" disabled>
                  Choose…
                </option>
                <option value="true">On (true)</option>
                <option value="false">Off (false)</option>
              </select>
            </Match>
            <Match when={kind() === 'text'}>
              <input id={id('value')} type="text" maxLength={200} value={valueText()} onInput={(event) => setValueText(event.currentTarget.value)} data-testid={`control-value-${props.point.id}`} />
            </Match>
            <Match when={kind() === 'integer' || kind() === 'decimal'}>
              <input
                id={id('value')}
                type="text"
                inputMode="decimal"
                autocomplete="off"
                placeholder={typeof props.reading?.value === 'number' ? formatNumber(props.reading.value) : ''}
                value={valueText()}
                onInput={(event) => setValueText(event.currentTarget.value)}
                data-testid={`control-value-${props.point.id}`}
              />
            </Match>
          </Switch>
        </div>
        <div class="field control-lease-field">
          <label for={id('lease')}>Lease (s)</label>
          <input
            id={id('lease')}
            type="text"
            inputMode="numeric"
            autocomplete="off"
            placeholder={props.mode === 'cloud' ? String(props.point.control?.leaseS ?? 60) : 'none'}
            value={leaseText()}
            onInput={(event) => setLeaseText(event.currentTarget.value)}
            aria-describedby={id('lease-hint')}
            data-testid={`control-lease-${props.point.id}`}
          />
        </div>
        <button type="submit" class="btn-primary" disabled={busy() !== null} data-testid={`control-submit-${props.point.id}`}>
          {busy() === 'write' ? 'Sending…' : 'Send…'}
        </button>
      </form>
      <p class="field-hint" id={id('lease-hint')}>
        {props.mode === 'cloud'
          ? `Empty lease: the point's default of ${props.point.control?.leaseS ?? 60} s. The edge applies the release when the lease ends or the link to the hub is lost.`
          : 'Empty lease: the value holds until it is changed or released.'}
      </p>
      <Show when={inputError()}>
        <div class="alert alert-error" role="alert" data-testid={`control-input-error-${props.point.id}`}>
          {inputError()}
        </div>
      </Show>

      <Show when={props.lease}>
        {(lease) => (
          <LeaseStatus
            pointId={props.point.id}
            lease={lease()}
            unit={props.point.unit}
            timeZone={props.timeZone}
            releasing={busy() === 'release'}
            disabled={busy() !== null}
            onRelease={() => setPending({ kind: 'release' })}
          />
        )}
      </Show>
      <Show when={outcome()}>{(shown) => <ControlResultView outcome={shown()} unit={props.point.unit} timeZone={props.timeZone} />}</Show>

      <ConfirmDialog
        open={pending()?.kind === 'write' || pending()?.kind === 'release'}
        title={pending()?.kind === 'release' ? `Release ${props.point.name}?` : `Write to ${props.point.name}?`}
        confirmLabel={pending()?.kind === 'release' ? 'Release' : 'Write'}
        testId={`control-confirm-${props.point.id}`}
        onConfirm={() => void confirm()}
        onCancel={cancel}
      >
        <Show
          when={pending()?.kind !== 'release'}
          fallback={<p>The edge ends the lease and applies the point's release action{releaseAction(props.point, unit())}.</p>}
        >
          <dl>
            <dt>Point</dt>
            <dd class="mono">{props.point.id}</dd>
            <dt>Current value</dt>
            <dd>
              <LiveValue reading={props.reading} unit={props.point.unit} />
            </dd>
            <dt>New value</dt>
            <dd data-testid="confirm-value">{formatControlValue(pendingValue(), props.point.unit)}</dd>
            <dt>Lease</dt>
            <dd>{describeLease(pendingLease(), props.mode)}</dd>
          </dl>
          <Show when={pendingWarning()}>
            {(warning) => (
              <p class="alert alert-error control-warning" role="alert">
                {warning()} The edge will reject this write.
              </p>
            )}
          </Show>
        </Show>
      </ConfirmDialog>

      <ConfirmDialog
        open={pending()?.kind === 'dangerous'}
        title="Confirm a dangerous write"
        confirmLabel="Write anyway"
        danger
        testId={`control-danger-${props.point.id}`}
        onConfirm={() => void confirm()}
        onCancel={cancel}
      >
        <DangerousDetails pending={pending()} unit={props.point.unit} />
      </ConfirmDialog>
    </div>
  );
}

/** Describes the release action in words, for the release confirmation. */
function releaseAction(point: SitePoint, unit: string): string {
  if (point.control?.onRelease === 'relinquish') return ': it relinquishes the BACnet command';
  if (point.control?.safeValue === undefined) return '';
  const value = point.control.safeValue;
  return `: it writes the safe value ${typeof value === 'boolean' ? (value ? 'on' : 'off') : `${value}${unit ? ` ${unit}` : ''}`}`;
}

/** Describes the lease of a pending write: its length, or what applies when the form left it empty. */
function describeLease(leaseS: number | undefined, mode: 'edge' | 'cloud'): string {
  if (leaseS !== undefined) return `${leaseS} s`;
  return mode === 'cloud' ? 'point default' : 'none';
}

function DangerousDetails(props: { pending: Pending | null; unit: string }) {
  const dangerous = () => (props.pending?.kind === 'dangerous' ? props.pending : null);
  return (
    <Show when={dangerous()}>
      {(waiting) => (
        <>
          <p data-testid="control-danger-message">{waiting().message}</p>
          <dl>
            <dt>New value</dt>
            <dd>{formatControlValue(waiting().body.value, props.unit)}</dd>
            <Show when={waiting().expiresAt}>
              {(expiresAt) => (
                <>
                  <dt>Confirm within</dt>
                  <dd class="mono">{formatCountdown(expiresAt() - now())}</dd>
                </>
              )}
            </Show>
          </dl>
        </>
      )}
    </Show>
  );
}
