import type { DeviceState } from '../../site/site-api';
import './device-status.css';

const BADGE_CLASSES: Record<DeviceState, string> = {
  online: 'badge-good',
  offline: 'badge-bad',
  unknown: 'badge-stale',
  disabled: 'badge-stale',
};

/** Shows a device's connection state as a coloured badge with the state's name. */
export function DeviceStatusBadge(props: { status: DeviceState; testId?: string }) {
  return (
    <span class={`badge ${BADGE_CLASSES[props.status]}`} data-testid={props.testId} data-status={props.status}>
      {props.status}
    </span>
  );
}

/** Shows a small status dot for dense lists such as the navigation, with the state as its accessible name. */
export function DeviceStatusDot(props: { status: DeviceState }) {
  return <span class={`status-dot status-dot-${props.status}`} role="img" aria-label={props.status} title={props.status} />;
}
