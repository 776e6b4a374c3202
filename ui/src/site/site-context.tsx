import type { AlarmChange, DeviceStatus } from '@simtestlab/sync';
import { A, useNavigate } from '@solidjs/router';
import { createContext, createEffect, createResource, createSignal, on, onCleanup, Show, useContext, type Accessor, type ParentProps, type Resource } from 'solid-js';
import { ApiError, describeError } from '../api/api-error';
import { createStore } from 'solid-js/store';
import { useApp } from '../app/app-context';
import { createLiveValues, type LiveValues } from '../live/live-values';
import type { SocketState } from '../live/reconnecting-socket';
import { openSiteFeed } from '../live/site-feed';
import type { SiteApi, SiteDevice, SitePoint, SiteSummary } from './site-api';

export interface DeviceLiveStatus {
  status: DeviceStatus;
  ts: number;
  error?: string | undefined;
}

/** One open site: its API, what was loaded over HTTP and what the live stream keeps up to date. */
export interface SiteScope {
  api: SiteApi;
  siteId: string;
  /** A path inside this site: `path('/alarms')` is `/alarms` on the edge and `/sites/<id>/alarms` in the hub. */
  path(sub: string): string;
  summary: Resource<SiteSummary>;
  devices: Resource<SiteDevice[]>;
  points: Resource<SitePoint[]>;
  live: LiveValues;
  /** Device status from the live stream, newer than `devices()` where present. */
  deviceStatus: Record<string, DeviceLiveStatus>;
  /** The latest alarm change from the live stream; pages refetch or patch their lists on it. */
  lastAlarmChange: Accessor<AlarmChange | null>;
  feedState: Accessor<SocketState>;
  /** Reloads summary, devices and points, as after a permission change. */
  refetch(): void;
}

const SiteContext = createContext<SiteScope>();

/** Shortest time between two reloads of the point list caused by samples of unknown points. */
const POINT_RELOAD_INTERVAL_MS = 15_000;

export function useSite(): SiteScope {
  const scope = useContext(SiteContext);
  if (!scope) throw new Error('useSite() outside <SiteProvider>');
  return scope;
}

/**
 * Loads a site and opens its live stream for the pages below it. The stream starts once the device
 * list is known (the edge subscribes per device) and is closed when the site is left.
 */
export function SiteProvider(props: ParentProps<{ api: SiteApi; basePath: string }>) {
  const app = useApp();
  const navigate = useNavigate();
  const api = props.api;
  const [summary, { refetch: refetchSummary }] = createResource(() => api.summary());
  const [devices, { refetch: refetchDevices }] = createResource(() => api.devices());
  const [points, { refetch: refetchPoints }] = createResource(() => api.points());
  const live = createLiveValues();
  const [deviceStatus, setDeviceStatus] = createStore<Record<string, DeviceLiveStatus>>({});
  const [lastAlarmChange, setLastAlarmChange] = createSignal<AlarmChange | null>(null);
  const [feedState, setFeedState] = createSignal<SocketState>('connecting');

  const refetch = () => {
    void refetchSummary();
    void refetchDevices();
    void refetchPoints();
  };

  createEffect(
    on(ready(points), (loaded) => {
      for (const point of loaded ?? []) live.seed(point.id, point.reading);
    }),
  );

  // A point the list lacks, such as one the edge found by SunSpec discovery after the list was loaded,
  // makes the list reload, at most once per interval. Each unknown id triggers this once, so a point the
  // server never lists does not reload the list for ever.
  let lastPointReload = 0;
  const reloadedFor = new Set<string>();
  const reloadForUnknown = (samples: readonly { point: string }[]) => {
    const known = points.latest;
    if (!known || Date.now() - lastPointReload < POINT_RELOAD_INTERVAL_MS) return;
    const ids = new Set(known.map((point) => point.id));
    const unknown = samples.map((sample) => sample.point).filter((id) => !ids.has(id) && !reloadedFor.has(id));
    if (unknown.length === 0) return;
    for (const id of unknown) reloadedFor.add(id);
    lastPointReload = Date.now();
    void refetchPoints();
  };

  createEffect(
    on(ready(devices), (loaded) => {
      if (!loaded) return;
      const feed = openSiteFeed({
        mode: api.mode,
        siteId: api.siteId,
        devices: loaded.map((device) => device.key),
        token: app.session.tokens.token,
        renewToken: app.session.tokens.renew,
        handlers: {
          samples: (samples) => {
            live.apply(samples);
            reloadForUnknown(samples);
          },
          deviceStatus: (device, status, ts, error) => setDeviceStatus(device, { status, ts, error }),
          alarm: (change) => {
            setLastAlarmChange(change);
            void refetchSummary();
          },
          permissionsChanged: (lostSite) => {
            app.refetchViewer();
            if (lostSite) navigate('/', { replace: true });
            else refetch();
          },
        },
      });
      createEffect(() => setFeedState(feed.state()));
      onCleanup(() => feed.close());
    }),
  );

  const base = props.basePath.replace(/\/$/, '');
  const scope: SiteScope = {
    api,
    siteId: api.siteId,
    path: (sub) => `${base}${sub.startsWith('/') ? sub : `/${sub}`}` || '/',
    summary,
    devices,
    points,
    live,
    deviceStatus,
    lastAlarmChange,
    feedState,
    refetch,
  };
  // A site that does not exist, or that the user may not open, gets one clear page instead of a broken one.
  const unavailable = () => summary.error instanceof ApiError && (summary.error.status === 404 || summary.error.status === 403);
  return (
    <SiteContext.Provider value={scope}>
      <Show when={!unavailable()} fallback={<SiteUnavailable message={describeError(summary.error)} />}>
        {props.children}
      </Show>
    </SiteContext.Provider>
  );
}

/** Reads a resource's value only once it loaded, so an effect does not throw the resource's error. */
function ready<T>(resource: Resource<T>): () => T | undefined {
  return () => (resource.state === 'ready' || resource.state === 'refreshing' ? resource() : undefined);
}

function SiteUnavailable(props: { message: string }) {
  return (
    <div class="centered-page">
      <div class="card auth-card" role="alert" data-testid="site-unavailable">
        <h1>Site not available</h1>
        <p>This site does not exist, or your account has no access to it.</p>
        <p class="muted">{props.message}</p>
        <A href="/">Go to your sites</A>
      </div>
    </div>
  );
}
