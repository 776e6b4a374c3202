import type { AlarmState } from '@simtestlab/sync';

const STATE_CLASSES: Record<AlarmState, string> = {
  normal: 'badge badge-good',
  active_unack: 'badge badge-bad',
  active_ack: 'badge badge-warn',
  cleared_unack: 'badge badge-info',
  shelved: 'badge badge-stale',
  out_of_service: 'badge badge-stale',
};

/** ISA-18.2 alarm states in words. */
export const ALARM_STATE_LABELS: Record<AlarmState, string> = {
  normal: 'Normal',
  active_unack: 'Active, unacknowledged',
  active_ack: 'Active, acknowledged',
  cleared_unack: 'Cleared, unacknowledged',
  shelved: 'Shelved',
  out_of_service: 'Out of service',
};

/**
 * An alarm's state as a badge: red while active and unacknowledged, amber once acknowledged, blue when it
 * cleared before anyone acknowledged it, grey while shelved or out of service.
 */
export function AlarmStateBadge(props: { state: AlarmState; testId?: string }) {
  return (
    <span class={STATE_CLASSES[props.state]} data-testid={props.testId} data-state={props.state}>
      {ALARM_STATE_LABELS[props.state]}
    </span>
  );
}
