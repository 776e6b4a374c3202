import type { AlarmSeverity } from '@simtestlab/sync';

const SEVERITY_CLASSES: Record<AlarmSeverity, string> = {
  info: 'badge badge-info',
  warning: 'badge badge-warn',
  critical: 'badge badge-bad',
};

export const SEVERITY_LABELS: Record<AlarmSeverity, string> = {
  info: 'Info',
  warning: 'Warning',
  critical: 'Critical',
};

/** An alarm's severity as a coloured badge with its name, so colour is never the only cue. */
export function SeverityBadge(props: { severity: AlarmSeverity; testId?: string }) {
  return (
    <span class={SEVERITY_CLASSES[props.severity]} data-testid={props.testId}>
      {SEVERITY_LABELS[props.severity]}
    </span>
  );
}
