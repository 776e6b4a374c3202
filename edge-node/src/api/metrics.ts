import { POLL_DURATION_BOUNDS_S } from '../poller/device-poller';
import type { EdgeRuntime } from '../runtime/edge-runtime';


/** Extra counters from parts outside the runtime (drivers), added to the exposition. */
export type MetricSource = () => Array<{ name: string; help: string; type: 'counter' | 'gauge'; values: Array<{ labels: Record<string, string>; value: number }> }>;

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const formatLabels = (labels: Record<string, string>) => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
};

/** Renders the Prometheus text exposition format (version 0.0.4). */
export function renderMetrics(runtime: EdgeRuntime, sources: readonly MetricSource[] = []): string {
  const lines: string[] = [];
  const metric = (name: string, help: string, type: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  metric('edge_poll_duration_seconds', 'Duration of device polls.', 'histogram');
  for (const [device, poller] of runtime.pollers) {
    const { durationBuckets, durationSumS, polls } = poller.stats;
    POLL_DURATION_BOUNDS_S.forEach((bound, index) => {
      lines.push(`edge_poll_duration_seconds_bucket${formatLabels({ device, le: String(bound) })} ${durationBuckets[index]}`);
    });
    lines.push(`edge_poll_duration_seconds_bucket${formatLabels({ device, le: '+Inf' })} ${polls}`);
    lines.push(`edge_poll_duration_seconds_sum${formatLabels({ device })} ${durationSumS}`);
    lines.push(`edge_poll_duration_seconds_count${formatLabels({ device })} ${polls}`);
  }

  const perDevice = (name: string, help: string, type: string, value: (poller: EdgeRuntime['pollers'] extends Map<string, infer P> ? P : never) => number) => {
    metric(name, help, type);
    for (const [device, poller] of runtime.pollers) lines.push(`${name}${formatLabels({ device })} ${value(poller)}`);
  };
  perDevice('edge_polls_total', 'Polls started per device.', 'counter', (poller) => poller.stats.polls);
  perDevice('edge_poll_failures_total', 'Polls that failed per device.', 'counter', (poller) => poller.stats.failures);
  perDevice('edge_poll_timeouts_total', 'Polls that timed out per device.', 'counter', (poller) => poller.stats.timeouts);
  perDevice('edge_poll_skipped_ticks_total', 'Poll ticks skipped because the previous poll overran.', 'counter', (poller) => poller.stats.skippedTicks);
  perDevice('edge_device_online', '1 when the device answered its last poll.', 'gauge', (poller) => (poller.status === 'online' ? 1 : 0));

  const stats = runtime.writer.stats;
  const single = (name: string, help: string, type: string, value: number) => {
    metric(name, help, type);
    lines.push(`${name} ${value}`);
  };
  single('edge_samples_stored_total', 'Samples committed to the database.', 'counter', stats.samplesStored);
  single('edge_samples_pending', 'Samples waiting for the next commit.', 'gauge', runtime.writer.pendingCount);
  single('edge_commits_total', 'Database commits of samples.', 'counter', stats.commits);
  single('edge_commit_failures_total', 'Commits that failed and were retried.', 'counter', runtime.commitFailures);
  single('edge_last_commit_seconds', 'Duration of the last commit.', 'gauge', stats.lastCommitMs / 1000);
  single('edge_rollup_rows_written_total', 'Rollup rows written or merged.', 'counter', stats.rollupRowsWritten);
  single('edge_rollup_open_buckets', 'Rollup buckets held in memory.', 'gauge', runtime.writer.rollups.openBucketCount());
  single('edge_counter_resets_total', 'Counter readings booked as a meter reset.', 'counter', stats.counterResets);
  single('edge_counter_zero_readings_ignored_total', 'Zero counter readings ignored.', 'counter', stats.counterZeroReadingsIgnored);
  single('edge_implausible_values_total', 'Readings stored as bad because their magnitude was implausible.', 'counter', runtime.implausibleValues);
  single('edge_ws_clients', 'Connected live-stream clients.', 'gauge', runtime.hub.clientCount);
  single('edge_ws_frames_sent_total', 'Live-stream frames sent.', 'counter', runtime.hub.framesSent);
  single('edge_ws_slow_clients_dropped_total', 'Live clients disconnected for not reading.', 'counter', runtime.hub.droppedClients);

  for (const source of sources) {
    for (const family of source()) {
      metric(family.name, family.help, family.type);
      for (const { labels, value } of family.values) lines.push(`${family.name}${formatLabels(labels)} ${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
