import type { ControlLease } from '@simtestlab/sync';
import { Show } from 'solid-js';
import { now } from '../../app/clock';
import { formatCountdown, formatDateTime } from '../../format/time';
import { formatControlValue } from './control-input';

export interface LeaseStatusProps {
  pointId: string;
  lease: ControlLease;
  unit: string;
  timeZone?: string | undefined;
  /** Present when the viewer may release the point. */
  onRelease?: (() => void) | undefined;
  /** The release this form sent is under way. */
  releasing: boolean;
  /** Another command of this form is under way. */
  disabled: boolean;
}

/** Shows the write a point is held under: value, who wrote it, and a live countdown to the lease's end. */
export function LeaseStatus(props: LeaseStatusProps) {
  const remainingMs = () => (props.lease.expiresAt ?? now()) - now();
  return (
    <div class="lease-status" data-testid={`lease-${props.pointId}`}>
      <div>
        <strong>Held at {formatControlValue(props.lease.value, props.unit)}</strong>
        <span class="muted">
          {' '}
          by {props.lease.userName} ({props.lease.source === 'local' ? 'on site' : 'remote'}) since {formatDateTime(props.lease.startedAt, props.timeZone)}
        </span>
      </div>
      <div class="lease-countdown-row">
        <Show
          when={props.lease.expiresAt !== null}
          fallback={<span data-testid={`lease-countdown-${props.pointId}`}>Holds until changed or released</span>}
        >
          <span>
            Lease ends in{' '}
            <strong class="mono" data-testid={`lease-countdown-${props.pointId}`} data-expires-at={props.lease.expiresAt ?? ''}>
              {formatCountdown(remainingMs())}
            </strong>
          </span>
        </Show>
        <Show when={props.onRelease}>
          {(release) => (
            <button type="button" class="btn-small" disabled={props.releasing || props.disabled} onClick={() => release()()} data-testid={`release-${props.pointId}`}>
              {props.releasing ? 'Releasing…' : 'Release'}
            </button>
          )}
        </Show>
      </div>
    </div>
  );
}
