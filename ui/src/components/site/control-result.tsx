import type { ControlResult } from '@simtestlab/sync';
import { Match, Show, Switch } from 'solid-js';
import { ApiError, describeError } from '../../api/api-error';
import { formatDateTime } from '../../format/time';
import { describeCrossedLimit, formatControlValue } from './control-input';

/** Outcome of the last command: the edge's result, a request that failed before reaching it, or a cancel. */
export type ControlOutcome = { kind: 'result'; result: ControlResult } | { kind: 'failed'; error: unknown } | { kind: 'cancelled' };

/** Shows the outcome of a write or release: values on success, the server's code and message on failure. */
export function ControlResultView(props: { outcome: ControlOutcome; unit: string; timeZone?: string | undefined }) {
  const failure = () => (props.outcome.kind === 'failed' ? props.outcome.error : undefined);
  const result = () => (props.outcome.kind === 'result' ? props.outcome.result : undefined);
  return (
    <div data-testid="control-result" aria-live="polite">
      <Switch>
        <Match when={props.outcome.kind === 'cancelled'}>
          <div class="alert alert-info" data-outcome="cancelled">
            Cancelled; nothing was sent.
          </div>
        </Match>
        <Match when={props.outcome.kind === 'failed'}>
          <RequestFailed error={failure()} />
        </Match>
        <Match when={result()}>{(answered) => <ResultDetails result={answered()} unit={props.unit} timeZone={props.timeZone} />}</Match>
      </Switch>
    </div>
  );
}

function RequestFailed(props: { error: unknown }) {
  const code = () => (props.error instanceof ApiError ? props.error.code : 'request_failed');
  return (
    <div class="alert alert-error" role="alert" data-outcome="error" data-code={code()}>
      <strong class="mono">{code()}</strong>: {describeError(props.error)}
    </div>
  );
}

function ResultDetails(props: { result: ControlResult; unit: string; timeZone?: string | undefined }) {
  return (
    <Show
      when={props.result.ok ? props.result : undefined}
      fallback={<Rejected result={props.result as Extract<ControlResult, { ok: false }>} timeZone={props.timeZone} />}
    >
      {(done) => (
        <div class="alert alert-success" data-outcome="ok">
          <strong>{done().command === 'release' ? 'Released.' : 'Written.'}</strong>
          <dl class="control-result-values">
            <dt>{done().command === 'release' ? 'Value on release' : 'Written value'}</dt>
            <dd data-testid="control-result-value">
              {done().command === 'release' && done().value === null ? 'none: the BACnet command was relinquished' : formatControlValue(done().value, props.unit)}
            </dd>
            <dt>Read back</dt>
            <dd data-testid="control-result-read-back">{formatControlValue(done().readBack, props.unit)}</dd>
            <dt>Previous value</dt>
            <dd data-testid="control-result-previous">{formatControlValue(done().previousValue, props.unit)}</dd>
          </dl>
        </div>
      )}
    </Show>
  );
}

function Rejected(props: { result: Extract<ControlResult, { ok: false }>; timeZone?: string | undefined }) {
  return (
    <div class="alert alert-error" role="alert" data-outcome="error" data-code={props.result.code}>
      <strong class="mono">{props.result.code}</strong>: {props.result.message}
      <Show when={describeCrossedLimit(props.result)}>
        {(limit) => <div data-testid="control-result-limit">Limit: {limit()}</div>}
      </Show>
      <Show when={props.result.retryAt}>{(retryAt) => <div>Next write possible at {formatDateTime(retryAt(), props.timeZone)}.</div>}</Show>
    </div>
  );
}
