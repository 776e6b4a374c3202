import { roleAtLeast } from '@simtestlab/sync';
import { useSearchParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import { useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage } from '../../components/admin/action-status';
import type { Confirm } from '../../components/admin/confirm-dialog';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import type { Site } from '../../components/admin/site-choice';
import { buildTree, flattenTree, kindLabel } from '../../components/admin/site-tree';
import { guardUnsavedChanges } from '../../components/energy-settings/unsaved-changes';
import { DeviceCreateForm, driverLabel } from './device-create-form';
import { DeviceDetail } from './device-detail';

/** Question of the confirmation before a navigation or a reload would drop the open device's unsaved edits. */
export const DEVICE_LEAVE_QUESTION = 'The open device has unsaved changes. Leave the page and lose them?';

/**
 * Renders the devices of one site with the open device in the `device` query parameter. Site managers
 * and above create, edit and delete devices, points and meter roles, and lower roles only view them.
 * Both `/admin/devices` and `/admin/sites/:siteId/devices` show it. Leaving the page, reloading it, or
 * closing or switching the open device while it has unsaved edits needs a confirmation.
 */
export function SiteDevices(props: { site: Site; confirm: Confirm }) {
  const cloud = useCloud();
  const status = createActionStatus();
  const [params, setParams] = useSearchParams<{ device?: string }>();
  const [creating, setCreating] = createSignal(false);
  // Whether the open device has edits that are not saved yet, as its detail reports them.
  const [unsaved, setUnsaved] = createSignal(false);
  guardUnsavedChanges(unsaved, DEVICE_LEAVE_QUESTION);
  const siteId = props.site.id;
  const canManage = roleAtLeast(props.site.role, 'site_manager');
  const [devices, { refetch }] = createResource(async () => (await unwrap(cloud.GET('/api/sites/{siteId}/devices', { params: { path: { siteId } } }))).devices);
  const [nodes] = createResource(async () => (await unwrap(cloud.GET('/api/sites/{siteId}/nodes', { params: { path: { siteId } } }))).nodes);
  const nodeEntries = createMemo(() => (nodes.state === 'ready' ? flattenTree(buildTree(nodes())) : []));
  const nodeName = (nodeId: string | null) => {
    if (nodeId === null) return '–';
    const entry = nodeEntries().find((candidate) => candidate.node.id === nodeId);
    return entry ? `${entry.node.name} (${kindLabel(entry.node.kind)})` : '–';
  };
  const list = () => (devices.state === 'ready' || devices.state === 'refreshing' ? devices() : []);
  const selectedId = () => list().find((device) => device.id === params.device)?.id ?? null;
  const openLabel = (deviceId: string) => {
    if (deviceId === selectedId()) return 'Close';
    return canManage ? 'Open' : 'View';
  };
  // Closing the open device or opening another one drops its unsaved edits, so the page's dialog requests
  // confirmation first. After confirmation the edits count as discarded and the router's check lets it pass.
  const toggleDevice = async (deviceId: string) => {
    if (unsaved()) {
      const confirmed = await props.confirm.ask({
        title: 'Discard unsaved changes?',
        message: <p>The open device has changes that are not saved yet. They are lost when it closes.</p>,
        confirmLabel: 'Discard changes',
      });
      if (!confirmed) return;
      setUnsaved(false);
    }
    setParams({ device: deviceId === selectedId() ? undefined : deviceId });
  };

  return (
    <>
      <Show when={canManage}>
        <section class="card" aria-labelledby="new-device-heading">
          <div class="card-header">
            <h2 id="new-device-heading">New device</h2>
            <button type="button" class="btn-small" aria-expanded={creating()} onClick={() => setCreating(!creating())} data-testid="toggle-create-device">
              {creating() ? 'Close' : 'Add a device'}
            </button>
          </div>
          <Show when={creating()}>
            <DeviceCreateForm
              siteId={siteId}
              nodes={nodeEntries()}
              onCreated={(record) => {
                status.succeed(`Device ${record.device.key} created.`);
                setCreating(false);
                void refetch();
                setParams({ device: record.id });
              }}
            />
          </Show>
        </section>
      </Show>
      <section class="card" aria-labelledby="devices-heading">
        <div class="card-header">
          <h2 id="devices-heading">Devices of {props.site.name}</h2>
        </div>
        <StatusMessage status={status} testId="devices-status" />
        <ResourceView resource={devices} what="devices">
          {() => (
            <Show when={list().length > 0} fallback={<EmptyState>This site has no devices yet.</EmptyState>}>
              <div class="table-wrap">
                <table class="data" data-testid="devices-table">
                  <thead>
                    <tr>
                      <th scope="col">Key</th>
                      <th scope="col">Name</th>
                      <th scope="col">Driver</th>
                      <th scope="col">Placed in</th>
                      <th scope="col" class="numeric">
                        Points
                      </th>
                      <th scope="col">State</th>
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(device) => (
                        <tr data-testid={`device-row-${device.key}`} classList={{ 'admin-selected-row': device.id === selectedId() }}>
                          <td class="mono">{device.key}</td>
                          <td>{device.name ?? '–'}</td>
                          <td>{driverLabel(device.driver)}</td>
                          <td>{nodeName(device.nodeId)}</td>
                          <td class="numeric">{device.pointCount}</td>
                          <td>
                            <span class={device.enabled ? 'badge badge-good' : 'badge badge-stale'}>{device.enabled ? 'Enabled' : 'Disabled'}</span>
                          </td>
                          <td>
                            <div class="admin-actions">
                              <button
                                type="button"
                                class="btn-small"
                                aria-pressed={device.id === selectedId()}
                                onClick={() => void toggleDevice(device.id)}
                                data-testid="open-device"
                              >
                                {openLabel(device.id)}
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
      <Show when={selectedId()} keyed>
        {(deviceId) => (
          <DeviceDetail
            deviceId={deviceId}
            nodes={nodeEntries()}
            canManage={canManage}
            confirm={props.confirm}
            onChanged={() => void refetch()}
            onUnsavedChange={setUnsaved}
            onDeleted={(message) => {
              status.succeed(message);
              setUnsaved(false);
              setParams({ device: undefined });
              void refetch();
            }}
          />
        )}
      </Show>
    </>
  );
}
