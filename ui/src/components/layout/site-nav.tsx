import { For, Show, createMemo, createSignal } from 'solid-js';
import { useApp } from '../../app/app-context';
import { describeError } from '../../api/api-error';
import { useSite } from '../../site/site-context';
import type { SiteDevice } from '../../site/site-api';
import { DeviceStatusDot } from '../site/device-status-badge';
import { deviceStateOf } from '../site/device-state';
import { loaded } from '../site/loaded';
import { NavLink } from './nav-link';
import { buildSiteTree, type SiteTreeBranch } from './site-tree';
import './site-nav.css';

/**
 * Renders the navigation of one site: its pages, with the count of unacknowledged alarms, then the
 * site's hierarchy of buildings, areas and systems down to devices and, for an expanded device, its
 * points. In the hub the organization's name is shown above the site.
 */
export function SiteNav() {
  const app = useApp();
  const site = useSite();
  const summary = () => loaded(site.summary);

  const viewerSite = () => app.viewer()?.sites.find((entry) => entry.id === site.siteId);
  const siteName = () => summary()?.site.name ?? viewerSite()?.name ?? site.siteId;
  const organizationName = () => {
    if (app.instance.mode !== 'cloud') return undefined;
    const organizationId = viewerSite()?.organizationId;
    return app.viewer()?.organizations.find((organization) => organization.id === organizationId)?.name;
  };
  const unacknowledged = () => summary()?.alarms.unacknowledged ?? 0;

  return (
    <div class="site-nav" data-testid="site-nav">
      <Show when={organizationName()}>
        {(name) => (
          <p class="nav-organization" data-testid="nav-organization">
            {name()}
          </p>
        )}
      </Show>
      <div class="nav-section">
        <h2 class="nav-heading nav-site-name" data-testid="nav-site-name">
          {siteName()}
        </h2>
        <NavLink href={site.path('/')} exact testId="nav-overview">
          Overview
        </NavLink>
        <NavLink href={site.path('/live')} testId="nav-live">
          Live
        </NavLink>
        <NavLink href={site.path('/history')} testId="nav-history">
          History
        </NavLink>
        <NavLink href={site.path('/energy')} testId="nav-energy">
          Energy
        </NavLink>
        <NavLink href={site.path('/alarms')} testId="nav-alarms">
          <span>Alarms</span>
          <Show when={unacknowledged() > 0}>
            <span class="badge badge-bad nav-count" data-testid="nav-alarm-count">
              {unacknowledged()}
              <span class="visually-hidden"> unacknowledged</span>
            </span>
          </Show>
        </NavLink>
        <NavLink href={site.path('/sync')} testId="nav-sync">
          Sync status
        </NavLink>
      </div>
      <SiteHierarchy siteName={siteName()} />
    </div>
  );
}

/** Renders the site's buildings, areas, systems and devices as nested lists of links. */
function SiteHierarchy(props: { siteName: string }) {
  const site = useSite();
  const summary = () => loaded(site.summary);
  const devices = () => loaded(site.devices);
  const tree = createMemo(() => buildSiteTree(summary()?.nodes ?? [], devices() ?? []));

  return (
    <div class="nav-section" data-testid="nav-hierarchy">
      <h2 class="nav-heading">Hierarchy</h2>
      <Show when={!site.devices.error} fallback={<p class="nav-message">Devices could not be loaded: {describeError(site.devices.error)}</p>}>
        <Show when={devices()} fallback={<p class="nav-message muted">Loading devices…</p>}>
          <ul class="nav-tree nav-tree-root">
            <li>
              <a class="nav-link nav-tree-site" href={site.path('/')}>
                {props.siteName}
              </a>
              <ul class="nav-tree">
                <For each={tree().branches}>{(branch) => <BranchItem branch={branch} />}</For>
                <For each={tree().devices}>{(device) => <DeviceItem device={device} />}</For>
              </ul>
              <Show when={tree().branches.length === 0 && tree().devices.length === 0}>
                <p class="nav-message muted">No devices on this site.</p>
              </Show>
            </li>
          </ul>
        </Show>
      </Show>
    </div>
  );
}

function BranchItem(props: { branch: SiteTreeBranch }) {
  return (
    <li>
      <span class="nav-tree-node" title={props.branch.node.kind}>
        <span class="nav-tree-kind">{props.branch.node.kind}</span>
        {props.branch.node.name}
      </span>
      <Show when={props.branch.branches.length > 0 || props.branch.devices.length > 0}>
        <ul class="nav-tree">
          <For each={props.branch.branches}>{(child) => <BranchItem branch={child} />}</For>
          <For each={props.branch.devices}>{(device) => <DeviceItem device={device} />}</For>
        </ul>
      </Show>
    </li>
  );
}

/** Renders a device link with its status dot and a toggle that lists its points below it. */
function DeviceItem(props: { device: SiteDevice }) {
  const site = useSite();
  const [expanded, setExpanded] = createSignal(false);
  const href = () => site.path(`/devices/${encodeURIComponent(props.device.key)}`);
  const points = () => (loaded(site.points) ?? []).filter((point) => point.device === props.device.key);
  const listId = () => `nav-points-${props.device.key}`;

  return (
    <li>
      <div class="nav-device-row">
        <NavLink href={href()} class="nav-device" testId={`nav-device-${props.device.key}`} title={props.device.name}>
          <DeviceStatusDot status={deviceStateOf(props.device, site.deviceStatus[props.device.key])} />
          <span class="nav-label">{props.device.name}</span>
        </NavLink>
        <button
          type="button"
          class="nav-expand"
          aria-expanded={expanded()}
          aria-controls={listId()}
          aria-label={`${expanded() ? 'Hide' : 'Show'} points of ${props.device.name}`}
          onClick={() => setExpanded((value) => !value)}
        >
          {expanded() ? '▾' : '▸'}
        </button>
      </div>
      <Show when={expanded()}>
        <ul class="nav-tree nav-points" id={listId()}>
          <For each={points()} fallback={<li class="nav-message muted">No points.</li>}>
            {(point) => (
              <li>
                <a class="nav-link nav-point" href={`${href()}#point-${encodeURIComponent(point.id)}`} title={point.id}>
                  <span class="nav-label">{point.name}</span>
                </a>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </li>
  );
}
