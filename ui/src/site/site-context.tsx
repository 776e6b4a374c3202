import type { AlarmChange, DeviceStatus } from '@simtestlab/sync';
import { useNavigate } from '@solidjs/router';
import { createContext, createEffect, createResource, createSignal, on, onCleanup, useContext, type Accessor, type ParentProps, type Resource } from 'solid-js';
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
    on(points, (loaded) => {
      for (const point of loaded ?? []) live.seed(point.id, point.reading);
    }),
  );

  createEffect(
    on(devices, (loaded) => {
      if (!loaded) return;
      const feed = openSiteFeed({
        mode: api.mode,
        siteId: api.siteId,
        devices: loaded.map((device) => device.key),
        token: app.session.tokens.token,
        renewToken: app.session.tokens.renew,
        handlers: {
          samples: (samples) => live.apply(samples),
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
  return <SiteContext.Provider value={scope}>{props.children}</SiteContext.Provider>;
}
