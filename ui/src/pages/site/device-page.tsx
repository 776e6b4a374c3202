import { useParams } from '@solidjs/router';
import { For, Show, createEffect, createMemo, createResource } from 'solid-js';
import { describeError } from '../../api/api-error';
import { useApp } from '../../app/app-context';
import { now } from '../../app/clock';
import { ControlForm } from '../../components/site/control-form';
import { DeviceStatusBadge } from '../../components/site/device-status-badge';
import { deviceErrorOf, deviceStateOf } from '../../components/site/device-state';
import { FeedStateBadge } from '../../components/site/feed-state-badge';
import { loaded } from '../../components/site/loaded';
import { PointTable } from '../../components/site/point-table';
import { PollStats } from '../../components/site/poll-stats';
import { formatDateTime } from '../../format/time';
import type { SiteDevice } from '../../site/site-api';
import { useSite } from '../../site/site-context';
import './device-page.css';

/**
 * Shows one device: its state and last error, every point with live value and quality, and for users who may
 * control the site a control form per writable point with its lease.
 */
export function DevicePage() {
  const app = useApp();
  const site = useSite();
  const params = useParams<{ device: string }>();
  const deviceKey = () => params.device;
  const device = () => loaded(site.devices)?.find((entry) => entry.key === deviceKey());
  const points = createMemo(() => (loaded(site.points) ?? []).filter((point) => point.device === deviceKey()));
  // A write needs the point's control settings (limits, what a release restores), so only such points get a form.
  const writable = createMemo(() => points().filter((point) => point.writable && point.control !== undefined));
  const canControl = () => app.viewer()?.can('device.control', site.siteId) ?? false;
  const timeZone = () => loaded(site.summary)?.site.timeZone;
  const live = () => site.deviceStatus[deviceKey()];
  const pollStats = () => device()?.poll ?? undefined;

  const [leases, { refetch: refetchLeases }] = createResource(
    () => (canControl() && writable().length > 0 ? deviceKey() : false),
    () => site.api.leases(),
  );
  const leaseFor = (pointId: string) => loaded(leases)?.find((lease) => lease.point === pointId);

  // A lease that ran out is gone on the edge, so the list is reloaded once per expiry seen.
  const reloadedExpiries = new Set<number>();
  createEffect(() => {
    const expired = (loaded(leases) ?? []).find((lease) => lease.expiresAt !== null && lease.expiresAt < now() - 1_000 && !reloadedExpiries.has(lease.expiresAt));
    if (!expired?.expiresAt) return;
    reloadedExpiries.add(expired.expiresAt);
    void refetchLeases();
  });

  return (
    <section data-testid="device-page">
      <Show when={site.devices.error}>
        <div class="alert alert-error" role="alert">
          The devices could not be loaded: {describeError(site.devices.error)}
        </div>
      </Show>
      <Show when={site.devices.latest} fallback={<Show when={!site.devices.error}><p class="empty">Loading the device…</p></Show>}>
        <Show
          when={device()}
          fallback={
            <div class="empty" data-testid="device-not-found">
              <p>
                No device <span class="mono">{deviceKey()}</span> on this site.
              </p>
              <a href={site.path('/')}>Back to the overview</a>
            </div>
          }
        >
          {(shown) => (
            <>
              <div class="page-header">
                <div>
                  <h1 data-testid="device-name">{shown().name}</h1>
                  <p class="page-subtitle">
                    <span class="mono">{shown().key}</span> · driver <span class="mono">{shown().driver}</span> · {shown().pointCount} points
                  </p>
                </div>
                <div class="button-row">
                  <DeviceStatusBadge status={deviceStateOf(shown(), live())} testId="device-status" />
                  <FeedStateBadge state={site.feedState()} />
                </div>
              </div>
              <Show when={pollStats()}>{(stats) => <PollStats stats={stats()} />}</Show>
              <Show when={deviceErrorOf(shown(), live())}>
                {(error) => (
                  <div class="alert alert-error" role="status" data-testid="device-last-error">
                    <strong>Last error</strong>
                    <Show when={live()?.error ? live()?.ts : undefined}>{(ts) => <span class="muted"> ({formatDateTime(ts(), timeZone())})</span>}</Show>: {error()}
                  </div>
                )}
              </Show>

              <Show when={canControl() && writable().length > 0}>
                <h2 class="device-section-title">Controls</h2>
                <Show when={leases.error}>
                  <div class="alert alert-error" role="alert">
                    The active leases could not be loaded: {describeError(leases.error)}
                  </div>
                </Show>
                <div class="grid grid-2" data-testid="control-forms">
                  <For each={writable()}>
                    {(point) => (
                      <ControlForm
                        point={point}
                        reading={site.live.latest[point.id] ?? point.reading}
                        lease={leaseFor(point.id)}
                        mode={site.api.mode}
                        timeZone={timeZone()}
                        send={(body) => site.api.control(point.id, body)}
                        release={() => site.api.release(point.id)}
                        onCommandDone={() => void refetchLeases()}
                      />
                    )}
                  </For>
                </div>
              </Show>

              <div class="card">
                <div class="card-header">
                  <h2>Points</h2>
                  <span class="muted">{points().length}</span>
                </div>
                <Show when={site.points.error}>
                  <div class="alert alert-error" role="alert">
                    The points could not be loaded: {describeError(site.points.error)}
                  </div>
                </Show>
                <Show when={site.points.latest} fallback={<Show when={!site.points.error}><p class="empty">Loading points…</p></Show>}>
                  <Show when={points().length > 0} fallback={<p class="empty">This device has no points.</p>}>
                    <PointTable points={points()} latest={site.live.latest} timeZone={timeZone()} showControls={canControl()} />
                  </Show>
                </Show>
              </div>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
