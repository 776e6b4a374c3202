import type { AlarmSeverity, AlarmStatus } from '@simtestlab/sync';
import { createLatestGuard } from '../../api/latest';

const SEVERITY_RANK: Record<AlarmSeverity, number> = { critical: 0, warning: 1, info: 2 };

function needsAttention(alarm: AlarmStatus): boolean {
  return alarm.state === 'active_unack' || alarm.state === 'cleared_unack';
}

/** Orders alarms as operators scan them: most severe first, then unacknowledged ones, then the newest activation. */
export function compareAlarms(a: AlarmStatus, b: AlarmStatus): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    Number(needsAttention(b)) - Number(needsAttention(a)) ||
    (b.activeSince ?? b.updatedAt) - (a.activeSince ?? a.updatedAt) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/**
 * Puts a newer status of one alarm into the list: it replaces the older entry, or leaves the list when the
 * alarm is back to normal. A status older than the one in the list is ignored.
 */
export function applyAlarmStatus(list: readonly AlarmStatus[], alarm: AlarmStatus): AlarmStatus[] {
  const existing = list.find((entry) => entry.ruleId === alarm.ruleId);
  if (existing && existing.updatedAt > alarm.updatedAt) return [...list];
  const others = list.filter((entry) => entry.ruleId !== alarm.ruleId);
  if (alarm.state !== 'normal') others.push(alarm);
  return others.sort(compareAlarms);
}

export interface ActiveAlarmState {
  alarms: AlarmStatus[];
  /** False until the first list arrived. */
  loaded: boolean;
  loading: boolean;
  error: unknown;
}

/**
 * Keeps the active alarm list of a site, loaded over HTTP and patched by live alarm changes. Changes that arrive
 * while a reload is on its way are applied again on top of the reloaded list, so a list read before the
 * change cannot undo it. A reload overtaken by a newer one is dropped.
 */
export function createActiveAlarmList(load: () => Promise<AlarmStatus[]>, onChange: (state: ActiveAlarmState) => void) {
  let state: ActiveAlarmState = { alarms: [], loaded: false, loading: false, error: null };
  const guard = createLatestGuard();
  const changesDuringLoads = new Set<AlarmStatus[]>();

  const update = (next: Partial<ActiveAlarmState>) => {
    state = { ...state, ...next };
    onChange(state);
  };

  return {
    async reload(): Promise<void> {
      const current = guard.begin();
      const changes: AlarmStatus[] = [];
      changesDuringLoads.add(changes);
      update({ loading: true });
      try {
        const fetched = await load();
        if (!current()) return;
        let alarms = fetched.filter((alarm) => alarm.state !== 'normal').sort(compareAlarms);
        for (const change of changes) alarms = applyAlarmStatus(alarms, change);
        update({ alarms, loaded: true, loading: false, error: null });
      } catch (error) {
        if (current()) update({ loading: false, error });
      } finally {
        changesDuringLoads.delete(changes);
      }
    },
    /** Applies an alarm's status from the live stream. */
    apply(alarm: AlarmStatus): void {
      for (const changes of changesDuringLoads) changes.push(alarm);
      update({ alarms: applyAlarmStatus(state.alarms, alarm) });
    },
    state: () => state,
  };
}
