import { roleAtLeast } from '@simtestlab/sync';
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useCloud } from '../../app/app-context';
import { now } from '../../app/clock';
import { createActionStatus, StatusMessage } from '../../components/admin/action-status';
import { ConfirmDialog, createConfirm, type Confirm } from '../../components/admin/confirm-dialog';
import { InlineRename } from '../../components/admin/inline-rename';
import { createOrganizationChoice, OrganizationPicker } from '../../components/admin/organization-choice';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { createSiteChoice, SitePicker, type Site } from '../../components/admin/site-choice';
import '../../components/admin/admin.css';
import { formatAgo, formatDateTime } from '../../format/time';
import { PairingCodeCard, type PairingCode } from './pairing-code-card';

type EdgeNode = components['schemas']['EdgeNode'];

/** How often the list reloads, so last-seen times and the uplink state stay current. */
const REFRESH_INTERVAL_MS = 15_000;

/** Edge nodes of a site: register one and get its pairing code, issue a new code, rename, revoke, delete. */
export function EdgeNodesPage() {
  const organization = createOrganizationChoice();
  const sites = createSiteChoice(organization);
  const confirm = createConfirm();

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Edge nodes</h1>
          <p class="page-subtitle">The industrial PCs that run each site and sync with this hub.</p>
        </div>
      </div>
      <ResourceView resource={organization.organizations} what="organizations">
        {() => (
          <Show when={organization.selectedId()} fallback={<EmptyState>You administer no organization.</EmptyState>}>
            <div class="admin-toolbar">
              <OrganizationPicker choice={organization} />
              <SitePicker choice={sites} />
            </div>
            <ResourceView resource={sites.sites} what="sites">
              {() => (
                <Show when={sites.selected()} keyed fallback={<EmptyState>This organization has no sites yet. Create one on the sites page.</EmptyState>}>
                  {(site) => (
                    <Show when={roleAtLeast(site.role, 'site_manager')} fallback={<EmptyState>Only site managers and above manage the edge nodes of {site.name}.</EmptyState>}>
                      <SiteEdgeNodes site={site} confirm={confirm} />
                    </Show>
                  )}
                </Show>
              )}
            </ResourceView>
          </Show>
        )}
      </ResourceView>
      <ConfirmDialog confirm={confirm} />
    </>
  );
}

function SiteEdgeNodes(props: { site: Site; confirm: Confirm }) {
  const cloud = useCloud();
  const status = createActionStatus();
  const siteId = props.site.id;
  const [pairing, setPairing] = createSignal<PairingCode | null>(null);
  const [name, setName] = createSignal('');
  const [edgeNodes, { refetch }] = createResource(async () => (await unwrap(cloud.GET('/api/sites/{siteId}/edge-nodes', { params: { path: { siteId } } }))).edgeNodes);
  const [syncStatus, { refetch: refetchSyncStatus }] = createResource(async () => unwrap(cloud.GET('/api/sites/{siteId}/sync-status', { params: { path: { siteId } } })));
  const timer = setInterval(() => {
    void refetch();
    void refetchSyncStatus();
  }, REFRESH_INTERVAL_MS);
  onCleanup(() => clearInterval(timer));
  const liveConnected = () => (syncStatus.state === 'ready' || syncStatus.state === 'refreshing' ? syncStatus()?.liveConnected === true : null);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const created = await status.run(
      () => unwrap(cloud.POST('/api/sites/{siteId}/edge-nodes', { params: { path: { siteId } }, body: { name: name().trim() } })),
      (result) => `Edge node ${result.edgeNode.name} registered. Pair it with the pairing code shown on this page.`,
    );
    if (created) {
      setName('');
      setPairing(created);
      void refetch();
    }
  };

  const newCode = async (node: EdgeNode) => {
    const confirmed = await props.confirm.ask({
      title: `Issue a new pairing code for ${node.name}?`,
      message: (
        <p>
          Any earlier code stops working. Pairing with the new code replaces the key of the edge node{node.paired ? ', so the PC that is paired now loses its link until it pairs again' : ''}
          {node.revokedAt ? ' and ends its revocation' : ''}.
        </p>
      ),
      confirmLabel: 'Issue code',
    });
    if (!confirmed) return;
    const issued = await status.run(
      () => unwrap(cloud.POST('/api/edge-nodes/{edgeNodeId}/pairing-code', { params: { path: { edgeNodeId: node.id } } })),
      (result) => `New pairing code for ${result.edgeNode.name} issued.`,
    );
    if (issued) {
      setPairing(issued);
      void refetch();
    }
  };

  const revoke = async (node: EdgeNode) => {
    const confirmed = await props.confirm.ask({
      title: `Revoke ${node.name}?`,
      message: <p>The hub rejects every request of this edge node at once, and its pending pairing code stops working. The site keeps running locally; only a new pairing code brings the link back.</p>,
      confirmLabel: 'Revoke edge node',
      danger: true,
    });
    if (!confirmed) return;
    const revoked = await status.run(
      () => unwrap(cloud.POST('/api/edge-nodes/{edgeNodeId}/revoke', { params: { path: { edgeNodeId: node.id } } })),
      (result) => `Edge node ${result.name} revoked.`,
    );
    if (revoked) void refetch();
  };

  const remove = async (node: EdgeNode) => {
    const confirmed = await props.confirm.ask({
      title: `Delete ${node.name}?`,
      message: <p>The edge node's key and pairing code stop working and it disappears from this list. Its data on the hub stays with the site.</p>,
      confirmLabel: 'Delete edge node',
      danger: true,
    });
    if (!confirmed) return;
    const deleted = await status.run(
      () => unwrap(cloud.DELETE('/api/edge-nodes/{edgeNodeId}', { params: { path: { edgeNodeId: node.id } } })),
      () => `Edge node ${node.name} deleted.`,
    );
    if (deleted !== undefined) {
      if (pairing()?.edgeNode.id === node.id) setPairing(null);
      void refetch();
    }
  };

  const rename = async (node: EdgeNode, next: string) => {
    const renamed = await status.run(
      () => unwrap(cloud.PATCH('/api/edge-nodes/{edgeNodeId}', { params: { path: { edgeNodeId: node.id } }, body: { name: next } })),
      (result) => `Edge node renamed to ${result.name}.`,
    );
    if (renamed) void refetch();
    return renamed !== undefined;
  };

  return (
    <>
      <section class="card" aria-labelledby="new-edge-heading">
        <h2 id="new-edge-heading">Register an edge node at {props.site.name}</h2>
        <form class="inline-fields" onSubmit={(event) => void create(event)} data-testid="create-edge-node-form">
          <div class="field">
            <label for="edge-node-name">Name</label>
            <input id="edge-node-name" required maxLength={200} placeholder="Plant room IPC" value={name()} onInput={(event) => setName(event.currentTarget.value)} />
          </div>
          <button type="submit" class="btn-primary" disabled={status.pending()}>
            Register and get a pairing code
          </button>
        </form>
      </section>
      <Show when={pairing()} keyed>
        {(code) => <PairingCodeCard code={code} onDismiss={() => setPairing(null)} />}
      </Show>
      <section class="card" aria-labelledby="edge-nodes-heading">
        <div class="card-header">
          <h2 id="edge-nodes-heading">Edge nodes of {props.site.name}</h2>
          <div class="button-row">
            <Show when={liveConnected() !== null}>
              <span class={liveConnected() ? 'badge badge-good' : 'badge badge-stale'} data-testid="site-uplink">
                {liveConnected() ? 'Live uplink connected' : 'No live uplink'}
              </span>
            </Show>
            <button
              type="button"
              class="btn-small"
              onClick={() => {
                void refetch();
                void refetchSyncStatus();
              }}
            >
              Refresh
            </button>
          </div>
        </div>
        <StatusMessage status={status} testId="edge-nodes-status" />
        <ResourceView resource={edgeNodes} what="edge nodes">
          {(list) => (
            <Show when={list().length > 0} fallback={<EmptyState>No edge node is registered at this site. Register one above to get its pairing code.</EmptyState>}>
              <div class="table-wrap">
                <table class="data" data-testid="edge-nodes-table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">State</th>
                      <th scope="col">Live uplink</th>
                      <th scope="col">Last seen</th>
                      <th scope="col">Host</th>
                      <th scope="col">Software</th>
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(node) => (
                        <tr data-testid={`edge-node-row-${node.name}`}>
                          <td>
                            <InlineRename name={node.name} label="edge node" testId={`edge-node-${node.id}`} save={(next) => rename(node, next)} />
                          </td>
                          <td>
                            <EdgeNodeState node={node} />
                          </td>
                          <td>
                            {/* NOTE: the hub tracks the live uplink per site, so with several paired nodes this shows the site's state for each. */}
                            <Show when={node.paired && liveConnected() !== null} fallback="–">
                              <span class={liveConnected() ? 'badge badge-good' : 'badge badge-stale'}>{liveConnected() ? 'Connected' : 'Not connected'}</span>
                            </Show>
                          </td>
                          <td title={node.lastSeenAt ? formatDateTime(Date.parse(node.lastSeenAt)) : undefined}>{node.lastSeenAt ? formatAgo(Date.parse(node.lastSeenAt), now()) : 'never'}</td>
                          <td class="mono">{node.hostname ?? '–'}</td>
                          <td class="mono">{node.softwareVersion ?? '–'}</td>
                          <td>
                            <div class="admin-actions">
                              <button type="button" class="btn-small" disabled={status.pending()} onClick={() => void newCode(node)} data-testid="new-pairing-code">
                                New pairing code
                              </button>
                              <Show when={node.revokedAt === null}>
                                <button type="button" class="btn-small" disabled={status.pending()} onClick={() => void revoke(node)} data-testid="revoke-edge-node">
                                  Revoke
                                </button>
                              </Show>
                              <button type="button" class="btn-small btn-danger" disabled={status.pending()} onClick={() => void remove(node)} data-testid="delete-edge-node">
                                Delete
                              </button>
                            </div>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </ResourceView>
      </section>
    </>
  );
}

function EdgeNodeState(props: { node: EdgeNode }) {
  const codeExpiresAt = () => (props.node.pairingCodeExpiresAt ? Date.parse(props.node.pairingCodeExpiresAt) : null);
  return (
    <Show
      when={props.node.revokedAt === null}
      fallback={
        <span class="badge badge-bad" title={`Revoked ${formatDateTime(Date.parse(props.node.revokedAt ?? ''))}`}>
          Revoked
        </span>
      }
    >
      <Show
        when={props.node.paired}
        fallback={
          <Show when={codeExpiresAt() !== null && codeExpiresAt()! > now()} fallback={<span class="badge badge-stale">Not paired, no valid code</span>}>
            <span class="badge badge-warn">Awaiting pairing</span>
          </Show>
        }
      >
        <span class="badge badge-good" title={props.node.pairedAt ? `Paired ${formatDateTime(Date.parse(props.node.pairedAt))}` : undefined}>
          Paired
        </span>
      </Show>
    </Show>
  );
}
