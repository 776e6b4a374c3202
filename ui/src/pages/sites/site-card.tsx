import { A } from '@solidjs/router';
import type { Quality } from '@simtestlab/sync';
import { Show, type JSX } from 'solid-js';
import { now } from '../../app/clock';
import { formatAgo, formatDateTime } from '../../format/time';
import { formatEnergy, formatPower } from '../../format/values';
import { edgeState, type EdgeState, type SiteSummary } from './site-list';

const edgeBadges: Record<EdgeState, { className: string; label: string }> = {
  online: { className: 'badge badge-good', label: 'Online' },
  offline: { className: 'badge badge-bad', label: 'Offline' },
  never: { className: 'badge badge-stale', label: 'No edge connected' },
};

/** Shows one KPI of a site card: label, value with unit in the quality's style, and an optional note. */
function Kpi(props: { label: string; value: { value: string; unit: string }; quality: Quality | null; note?: JSX.Element; testId: string }) {
  return (
    <div class="site-kpi">
      <dt>{props.label}</dt>
      <dd
        class={props.quality === null || props.value.unit === '' ? 'site-kpi-empty' : `value-${props.quality}`}
        data-testid={props.testId}
        title={props.quality === null || props.value.unit === '' ? 'No value yet' : `Quality: ${props.quality}`}
      >
        <span class="numeric">{props.value.value}</span>
        <Show when={props.value.unit}>
          <span class="kpi-unit">{props.value.unit}</span>
        </Show>
      </dd>
      <Show when={props.note}>
        <dd class="site-kpi-note">{props.note}</dd>
      </Show>
    </div>
  );
}

/** Shows the alarm badges of a site: active alarms by severity and those waiting for an acknowledgement. */
function AlarmBadges(props: { alarms: SiteSummary['alarms']; testId: string }) {
  const active = () => props.alarms.active;
  const none = () => active().total === 0 && props.alarms.unacknowledged === 0;
  return (
    <span class="site-card-alarms" data-testid={props.testId}>
      <Show when={none()}>
        <span class="badge badge-good">No alarms</span>
      </Show>
      <Show when={active().critical > 0}>
        <span class="badge badge-bad">{active().critical} critical</span>
      </Show>
      <Show when={active().warning > 0}>
        <span class="badge badge-warn">{active().warning} warning</span>
      </Show>
      <Show when={active().info > 0}>
        <span class="badge badge-info">{active().info} info</span>
      </Show>
      <Show when={props.alarms.unacknowledged > 0}>
        <span class="badge badge-warn" title="Active or cleared alarms that wait for an acknowledgement">
          {props.alarms.unacknowledged} unacknowledged
        </span>
      </Show>
    </span>
  );
}

/** Names the direction of grid power by the shared sign convention, where a positive value imports. */
function gridDirection(powerW: number | null): string | undefined {
  if (powerW === null || powerW === 0) return undefined;
  return powerW > 0 ? 'Import' : 'Export';
}

/** Shows a site of the overview: edge link, headline KPIs, alarms and devices, linking to the site's pages. */
export function SiteCard(props: { summary: SiteSummary }) {
  const site = () => props.summary.site;
  const kpis = () => props.summary.kpis;
  const edge = () => props.summary.edge;
  const state = () => edgeState(edge(), now());
  const devices = () => props.summary.devices;
  const titleId = () => `site-card-title-${site().id}`;
  const lastData = () => (edge().lastDataAt === null ? 'No data yet' : `Last data ${formatAgo(edge().lastDataAt, now())}`);
  const lastContact = () => (edge().lastContactAt === null ? 'The edge never contacted the hub' : `Last contact ${formatDateTime(edge().lastContactAt, site().timeZone)}`);
  const pvToday = () => kpis().energyToday.pvWh;

  return (
    <article class={`card site-card site-card-${state()}`} aria-labelledby={titleId()} data-testid={`site-card-${site().id}`}>
      <header class="site-card-header">
        <h3 id={titleId()}>
          <A href={`/sites/${encodeURIComponent(site().id)}`}>{site().name}</A>
        </h3>
        <span class={edgeBadges[state()].className} title={lastContact()} data-testid={`site-status-${site().id}`}>
          {edgeBadges[state()].label}
        </span>
      </header>
      <p class={state() === 'online' ? 'site-card-meta muted' : 'site-card-meta site-card-meta-warn'} data-testid={`site-last-data-${site().id}`}>
        {lastData()}
      </p>
      <dl class="site-kpis">
        <Kpi label="Grid power" value={formatPower(kpis().gridPowerW.value)} quality={kpis().gridPowerW.quality} note={gridDirection(kpis().gridPowerW.value)} testId={`site-grid-${site().id}`} />
        <Kpi label="PV power" value={formatPower(kpis().pvPowerW.value)} quality={kpis().pvPowerW.quality} testId={`site-pv-${site().id}`} />
        <Kpi
          label="Consumption"
          value={formatPower(kpis().consumptionW.value)}
          quality={kpis().consumptionW.quality}
          note={kpis().consumptionSource === 'balance' ? 'From grid, PV and battery' : undefined}
          testId={`site-consumption-${site().id}`}
        />
        <Kpi
          label="Consumed today"
          value={formatEnergy(kpis().energyToday.consumedWh)}
          quality={kpis().energyToday.consumedWh === null ? null : 'good'}
          note={pvToday() === null ? undefined : `PV ${formatEnergy(pvToday()).value} ${formatEnergy(pvToday()).unit}`}
          testId={`site-energy-${site().id}`}
        />
      </dl>
      <footer class="site-card-footer">
        <AlarmBadges alarms={props.summary.alarms} testId={`site-alarms-${site().id}`} />
        <span class={devices().offline > 0 ? 'site-card-devices site-card-meta-warn' : 'site-card-devices muted'} data-testid={`site-devices-${site().id}`}>
          <Show when={devices().total > 0} fallback="No devices">
            {devices().online} of {devices().total} devices online
            <Show when={devices().offline > 0}>, {devices().offline} offline</Show>
          </Show>
        </span>
      </footer>
    </article>
  );
}
