import { Show } from 'solid-js';
import { formatNumber } from '../../format/values';
import type { DevicePollStats } from '../../site/site-api';
import './site-widgets.css';

/** Shows a device's poll interval and counters in one line, with failures marked when there are any. */
export function PollStats(props: { stats: DevicePollStats }) {
  return (
    <dl class="poll-stats" data-testid="device-poll-stats">
      <Show when={props.stats.pollIntervalMs > 0}>
        <div>
          <dt>Poll interval</dt>
          <dd>{formatNumber(props.stats.pollIntervalMs! / 1000)} s</dd>
        </div>
      </Show>
      <div>
        <dt>Polls</dt>
        <dd>{formatNumber(props.stats.polls)}</dd>
      </div>
      <div>
        <dt>Failures</dt>
        <dd classList={{ 'count-bad': props.stats.failures > 0 }}>{formatNumber(props.stats.failures)}</dd>
      </div>
      <div>
        <dt>Timeouts</dt>
        <dd classList={{ 'count-bad': props.stats.timeouts > 0 }}>{formatNumber(props.stats.timeouts)}</dd>
      </div>
      <div>
        <dt>Last poll took</dt>
        <dd>{props.stats.lastPollMs === null ? '–' : `${formatNumber(props.stats.lastPollMs)} ms`}</dd>
      </div>
    </dl>
  );
}
