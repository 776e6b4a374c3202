import type { SiteKpis } from '@simtestlab/sync';
import { Show, createSignal, onCleanup } from 'solid-js';
import { describeError } from '../../api/api-error';
import { latestOnly } from '../../api/latest';
import { deviceStateOf } from '../../components/site/device-state';
import { DeviceStatusTable } from '../../components/site/device-status-table';
import { FeedStateBadge } from '../../components/site/feed-state-badge';
import { KpiTile } from '../../components/site/kpi-tile';
import { liveSiteKpis, isRolePowerPoint } from '../../components/site/live-kpis';
import { loaded } from '../../components/site/loaded';
import { PowerChart } from '../../components/site/power-chart';
import { formatEnergy, formatPower } from '../../format/values';
import { useSite } from '../../site/site-context';
import './overview-page.css';

/** How often the page reloads the summary: energy today comes only from the server. */
const SUMMARY_REFRESH_MS = 30_000;

/**
 * Shows the site at a glance: KPI tiles kept live from the stream, a 15-minute power chart and the state of
 * every device.
 */
export function SiteOverviewPage() {
  const site = useSite();
  const summary = () => loaded(site.summary);
  const points = () => loaded(site.points) ?? [];
  const devices = () => loaded(site.devices);

  // The provider's summary is loaded once and again after alarm changes, so the page polls its own
  // copy for the KPIs. A late response never replaces a newer one.
  const [polledKpis, setPolledKpis] = createSignal<SiteKpis | null>(null);
  const [pollError, setPollError] = createSignal<unknown>(null);
  const poll = latestOnly(
    () => site.api.summary(),
    (fresh) => {
      setPolledKpis(fresh.kpis);
      setPollError(null);
    },
    setPollError,
  );
  const timer = setInterval(() => void poll(), SUMMARY_REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  const serverKpis = () => polledKpis() ?? summary()?.kpis;
  const kpis = () => {
    const server = serverKpis();
    return server ? liveSiteKpis(server, points(), site.live.latest) : undefined;
  };
  const hasLivePower = () => points().some(isRolePowerPoint);

  return (
    <section data-testid="overview-page">
      <div class="page-header">
        <div>
          <h1>{summary()?.site.name ?? 'Site overview'}</h1>
          <p class="page-subtitle">
            Overview
            <Show when={summary()?.site.timeZone}>{(zone) => <> · times in {zone()}</>}</Show>
          </p>
        </div>
        <FeedStateBadge state={site.feedState()} />
      </div>

      <Show when={site.summary.error}>
        <div class="alert alert-error" role="alert" data-testid="overview-error">
          The site summary could not be loaded: {describeError(site.summary.error)}
        </div>
      </Show>
      <Show when={pollError()}>
        <div class="alert alert-error" role="alert">
          The KPIs could not be refreshed: {describeError(pollError())}. The figures below may be out of date.
        </div>
      </Show>

      <Show when={summary()} fallback={<Show when={!site.summary.error}><p class="empty">Loading the site summary…</p></Show>}>
        {(loadedSummary) => <KpiTiles kpis={kpis()!} alarms={loadedSummary().alarms} live={hasLivePower() && site.feedState() === 'open'} alarmsHref={site.path('/alarms')} />}
      </Show>

      <div class="card">
        <div class="card-header">
          <h2>Power, last 15 minutes</h2>
          <span class="muted">kW</span>
        </div>
        <Show
          when={points().some(isRolePowerPoint)}
          fallback={<p class="empty">No power meter of this site has a grid, PV, battery or consumption role, so there is nothing to chart.</p>}
        >
          <PowerChart api={site.api} points={points()} live={site.live} timeZone={summary()?.site.timeZone} />
        </Show>
      </div>

      <div class="card">
        <div class="card-header">
          <h2>Devices</h2>
          <Show when={devices()}>
            {(list) => (
              <span class="muted" data-testid="device-counts">
                {list().filter((device) => deviceStateOf(device, site.deviceStatus[device.key]) === 'online').length} of {list().length} online
              </span>
            )}
          </Show>
        </div>
        <Show when={!site.devices.error} fallback={<div class="alert alert-error" role="alert">The devices could not be loaded: {describeError(site.devices.error)}</div>}>
          <Show when={devices()} fallback={<p class="empty">Loading devices…</p>}>
            {(list) => (
              <Show when={list().length > 0} fallback={<p class="empty">This site has no devices yet.</p>}>
                <DeviceStatusTable
                  devices={list()}
                  points={points()}
                  latest={site.live.latest}
                  deviceStatus={site.deviceStatus}
                  deviceHref={(key) => site.path(`/devices/${encodeURIComponent(key)}`)}
                />
              </Show>
            )}
          </Show>
        </Show>
      </div>
    </section>
  );
}

interface KpiTilesProps {
  kpis: SiteKpis;
  alarms: { active: number; unacknowledged: number };
  /** Whether the power figures follow the live stream. */
  live: boolean;
  alarmsHref: string;
}

function KpiTiles(props: KpiTilesProps) {
  const grid = () => formatPower(props.kpis.gridPowerW.value);
  const pv = () => formatPower(props.kpis.pvPowerW.value);
  const consumption = () => formatPower(props.kpis.consumptionW.value);
  const consumed = () => formatEnergy(props.kpis.energyToday.consumedWh);
  const pvToday = () => formatEnergy(props.kpis.energyToday.pvWh);
  const gridDirection = () => {
    const watts = props.kpis.gridPowerW.value;
    if (props.kpis.gridPowerW.quality === null) return 'no grid meter';
    if (watts === null) return 'value unknown';
    if (watts === 0) return 'balanced';
    return watts > 0 ? 'importing' : 'exporting';
  };
  const source = () => {
    if (props.kpis.consumptionSource === 'meter') return 'metered';
    if (props.kpis.consumptionSource === 'balance') return 'from balance';
    return 'no meter';
  };
  const refresh = () => (props.live ? 'live' : 'every 30 s');

  return (
    <div class="grid grid-kpi overview-kpis" data-testid="kpi-tiles">
      <KpiTile
        label="Grid power"
        value={grid().value}
        unit={grid().unit}
        quality={props.kpis.gridPowerW.quality}
        note={`${gridDirection()} · ${refresh()}`}
        testId="kpi-grid"
      />
      <KpiTile label="PV power" value={pv().value} unit={pv().unit} quality={props.kpis.pvPowerW.quality} note={refresh()} testId="kpi-pv" />
      <KpiTile
        label="Consumption"
        value={consumption().value}
        unit={consumption().unit}
        quality={props.kpis.consumptionW.quality}
        note={<span data-testid="kpi-consumption-source">{source()}</span>}
        testId="kpi-consumption"
      />
      <KpiTile
        label="Energy today"
        value={consumed().value}
        unit={consumed().unit}
        note={
          <>
            consumed · PV {pvToday().value} {pvToday().unit}
          </>
        }
        testId="kpi-energy-today"
      />
      <KpiTile
        label="Active alarms"
        value={String(props.alarms.active)}
        valueClass={props.alarms.unacknowledged > 0 ? 'count-bad' : ''}
        note={`${props.alarms.unacknowledged} unacknowledged`}
        href={props.alarmsHref}
        testId="kpi-alarms"
      />
    </div>
  );
}
