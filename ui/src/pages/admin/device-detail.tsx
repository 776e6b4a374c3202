import { meterRoles, type MeterRole } from '@simtestlab/sync';
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage, type ActionStatus } from '../../components/admin/action-status';
import type { Confirm } from '../../components/admin/confirm-dialog';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { optionLabel, type TreeNode } from '../../components/admin/site-tree';
import { driverLabel } from './device-create-form';
import { MeterRolesEditor, reportUnsaved } from './meter-roles-editor';
import { METER_ROLE_LABELS } from './meter-roles';

type DeviceRecord = components['schemas']['DeviceRecord'];
type Point = components['schemas']['Point'];

function usesSunspec(record: DeviceRecord): boolean {
  return 'sunspec' in record.device && record.device.sunspec !== undefined;
}

/**
 * Renders one device of a site: its settings, its points with their meter roles, its definition and
 * deletion. `onUnsavedChange` learns whether the settings form or the meter roles contain unsaved edits.
 */
export function DeviceDetail(props: {
  deviceId: string;
  nodes: TreeNode[];
  canManage: boolean;
  confirm: Confirm;
  onChanged: () => void;
  onDeleted: (message: string) => void;
  onUnsavedChange?: (unsaved: boolean) => void;
}) {
  const cloud = useCloud();
  const status = createActionStatus();
  const [settingsUnsaved, setSettingsUnsaved] = createSignal(false);
  const [rolesUnsaved, setRolesUnsaved] = createSignal(false);
  reportUnsaved(() => settingsUnsaved() || rolesUnsaved(), props.onUnsavedChange);
  const path = () => ({ deviceId: props.deviceId });
  const [record, { refetch: refetchRecord }] = createResource(async () => unwrap(cloud.GET('/api/devices/{deviceId}', { params: { path: path() } })));
  const [points, { refetch: refetchPoints }] = createResource(async () => (await unwrap(cloud.GET('/api/devices/{deviceId}/points', { params: { path: path() } }))).points);

  const remove = async (current: DeviceRecord) => {
    const confirmed = await props.confirm.ask({
      title: `Delete device ${current.device.key}?`,
      message: (
        <p>
          This deletes the device, its {current.device.points.length} points and their alarm rules. The edge node stops polling it after the next sync.
          Stored history stays.
        </p>
      ),
      confirmLabel: 'Delete device',
      danger: true,
    });
    if (!confirmed) return;
    const deleted = await status.run(
      () => unwrap(cloud.DELETE('/api/devices/{deviceId}', { params: { path: path() } })),
      () => `Device ${current.device.key} deleted.`,
    );
    if (deleted !== undefined) props.onDeleted(`Device ${current.device.key} deleted.`);
  };

  const setRole = async (point: Point, role: MeterRole | '') => {
    const { role: _previous, ...rest } = point;
    const body = role === '' ? rest : { ...rest, role };
    await status.run(
      () => unwrap(cloud.PUT('/api/devices/{deviceId}/points/{pointKey}', { params: { path: { ...path(), pointKey: point.key } }, body })),
      () => (role === '' ? `Point ${point.key} has no meter role now.` : `Point ${point.key} now counts as ${METER_ROLE_LABELS[role]}.`),
    );
    void refetchPoints();
    void refetchRecord();
  };

  const removePoint = async (point: Point) => {
    const confirmed = await props.confirm.ask({
      title: `Delete point ${point.key}?`,
      message: <p>The point and its alarm rules are deleted; the edge node stops reading it after the next sync.</p>,
      confirmLabel: 'Delete point',
      danger: true,
    });
    if (!confirmed) return;
    const deleted = await status.run(
      () => unwrap(cloud.DELETE('/api/devices/{deviceId}/points/{pointKey}', { params: { path: { ...path(), pointKey: point.key } } })),
      () => `Point ${point.key} deleted.`,
    );
    if (deleted !== undefined) {
      void refetchPoints();
      void refetchRecord();
      props.onChanged();
    }
  };

  return (
    <section class="card" aria-labelledby="device-heading" data-testid="device-detail">
      <ResourceView resource={record} what="the device">
        {(current) => (
          <>
            <div class="card-header">
              <h2 id="device-heading">
                <Show when={current().device.name} fallback={<span class="mono">{current().device.key}</span>}>
                  {current().device.name} <span class="muted mono">{current().device.key}</span>
                </Show>
              </h2>
              <Show when={props.canManage}>
                <button type="button" class="btn-small btn-danger" disabled={status.pending()} onClick={() => void remove(current())} data-testid="delete-device">
                  Delete device
                </button>
              </Show>
            </div>
            <StatusMessage status={status} testId="device-status" />
            <p class="muted">
              {driverLabel(current().device.driver)} · polled every {current().device.pollIntervalMs} ms · {current().device.enabled ? 'enabled' : 'disabled'}
            </p>
            <Show when={props.canManage}>
              <DeviceSettingsForm
                status={status}
                record={current()}
                nodes={props.nodes}
                onUnsavedChange={setSettingsUnsaved}
                onSaved={() => {
                  void refetchRecord();
                  props.onChanged();
                }}
              />
            </Show>
            <h3 class="admin-subheading">Points</h3>
            <ResourceView resource={points} what="points">
              {(list) => (
                <Show
                  when={list().length > 0}
                  fallback={
                    <EmptyState>
                      No points are defined on the hub{usesSunspec(current()) ? ', because SunSpec discovery finds them on the edge node' : ''}. Meter roles below lists the power
                      and energy points of templates and discovery once the edge node reports them.
                    </EmptyState>
                  }
                >
                  <div class="table-wrap">
                    <table class="data" data-testid="points-table">
                      <thead>
                        <tr>
                          <th scope="col">Key</th>
                          <th scope="col">Name</th>
                          <th scope="col">Unit</th>
                          <th scope="col">Kind</th>
                          <th scope="col">Writable</th>
                          <th scope="col">Meter role</th>
                          <Show when={props.canManage}>
                            <th scope="col">
                              <span class="visually-hidden">Actions</span>
                            </th>
                          </Show>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={list()}>
                          {(point) => (
                            <tr data-testid={`point-row-${point.key}`}>
                              <td class="mono">{point.key}</td>
                              <td>{point.name ?? '–'}</td>
                              <td>{point.unit || '–'}</td>
                              <td>{point.kind}</td>
                              <td>{point.writable ? 'Yes' : 'No'}</td>
                              <td>
                                <Show when={props.canManage} fallback={point.role ? METER_ROLE_LABELS[point.role] : '–'}>
                                  <label class="visually-hidden" for={`point-role-${point.key}`}>
                                    Meter role of {point.key}
                                  </label>
                                  <select
                                    id={`point-role-${point.key}`}
                                    disabled={status.pending()}
                                    onChange={(event) => void setRole(point, event.currentTarget.value as MeterRole | '')}
                                    data-testid="point-role"
                                  >
                                    <option value="" selected={!point.role}>
                                      None
                                    </option>
                                    <For each={meterRoles}>
                                      {(role) => (
                                        <option value={role} selected={role === point.role}>
                                          {METER_ROLE_LABELS[role]}
                                        </option>
                                      )}
                                    </For>
                                  </select>
                                </Show>
                                <Show when={current().device.roles?.[point.key]}>
                                  {(mapRole) => <div class="field-hint">The roles map sets {METER_ROLE_LABELS[mapRole()]}, which wins.</div>}
                                </Show>
                              </td>
                              <Show when={props.canManage}>
                                <td>
                                  <div class="admin-actions">
                                    <button type="button" class="btn-small" disabled={status.pending()} onClick={() => void removePoint(point)} aria-label={`Delete point ${point.key}`}>
                                      Delete
                                    </button>
                                  </div>
                                </td>
                              </Show>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </div>
                  <p class="field-hint">Meter roles feed the site's power balance: set them on power (W) and energy (Wh) points only. An entry in the roles map under Meter roles wins over the role here.</p>
                </Show>
              )}
            </ResourceView>
            <MeterRolesEditor
              record={current()}
              canManage={props.canManage}
              status={status}
              onUnsavedChange={setRolesUnsaved}
              onSaved={() => {
                void refetchRecord();
                void refetchPoints();
                props.onChanged();
              }}
            />
            <details class="admin-details">
              <summary>Definition (read-only)</summary>
              <pre class="admin-json" data-testid="device-definition">
                {JSON.stringify(current().device, null, 2)}
              </pre>
            </details>
          </>
        )}
      </ResourceView>
    </section>
  );
}

/** Values of the device settings form, as its inputs contain them. */
interface SettingsFields {
  name: string;
  nodeId: string;
  enabled: boolean;
  pollIntervalMs: string;
}

function fieldsOf(record: DeviceRecord): SettingsFields {
  return { name: record.device.name ?? '', nodeId: record.nodeId ?? '', enabled: record.device.enabled, pollIntervalMs: String(record.device.pollIntervalMs) };
}

/** Returns whether two sets of fields save the same device, comparing the trimmed names and the intervals as numbers. */
function sameFields(a: SettingsFields, b: SettingsFields): boolean {
  return a.name.trim() === b.name.trim() && a.nodeId === b.nodeId && a.enabled === b.enabled && Number(a.pollIntervalMs) === Number(b.pollIntervalMs);
}

/**
 * Name, placement, enabled flag and poll interval; saving replaces the device with these changes. When
 * the device reloads, after this form's save or a meter roles save, the fields take the reloaded values
 * unless they contain edits, which stay. The status belongs to the device section, which shows it.
 */
function DeviceSettingsForm(props: { status: ActionStatus; record: DeviceRecord; nodes: TreeNode[]; onSaved: () => void; onUnsavedChange?: (unsaved: boolean) => void }) {
  const cloud = useCloud();
  const status = props.status;
  const initial = fieldsOf(props.record);
  const [name, setName] = createSignal(initial.name);
  const [nodeId, setNodeId] = createSignal(initial.nodeId);
  const [enabled, setEnabled] = createSignal(initial.enabled);
  const [pollIntervalMs, setPollIntervalMs] = createSignal(initial.pollIntervalMs);
  const fields = (): SettingsFields => ({ name: name(), nodeId: nodeId(), enabled: enabled(), pollIntervalMs: pollIntervalMs() });
  const unsaved = createMemo(() => !sameFields(fields(), fieldsOf(props.record)));
  reportUnsaved(unsaved, props.onUnsavedChange);

  // A reload replaces the fields unless they differ from both the previous record and the reloaded one.
  createEffect(
    on(
      () => props.record,
      (record, previous) => {
        if (previous === undefined) return;
        const current = fields();
        const next = fieldsOf(record);
        if (!sameFields(current, fieldsOf(previous)) && !sameFields(current, next)) return;
        setName(next.name);
        setNodeId(next.nodeId);
        setEnabled(next.enabled);
        setPollIntervalMs(next.pollIntervalMs);
      },
    ),
  );

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const { name: _previousName, ...unnamed } = props.record.device;
    const trimmed = name().trim();
    const device = { ...unnamed, ...(trimmed ? { name: trimmed } : {}), enabled: enabled(), pollIntervalMs: Number(pollIntervalMs()) };
    const saved = await status.run(
      () =>
        unwrap(
          cloud.PUT('/api/devices/{deviceId}', {
            params: { path: { deviceId: props.record.id } },
            body: { nodeId: nodeId() || null, device },
          }),
        ),
      (result) => `Device ${result.device.key} saved.`,
    );
    if (saved) props.onSaved();
  };

  return (
    <>
      <form class="inline-fields" onSubmit={(event) => void submit(event)} data-testid="device-settings-form">
        <div class="field">
          <label for="edit-device-name">Name</label>
          <input id="edit-device-name" maxLength={200} value={name()} onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="edit-device-node">Placed in</label>
          <select id="edit-device-node" onChange={(event) => setNodeId(event.currentTarget.value)} data-testid="device-node">
            <option value="" selected={nodeId() === ''}>
              The site (no building, area or system)
            </option>
            <For each={props.nodes}>
              {(entry) => (
                <option value={entry.node.id} selected={entry.node.id === nodeId()}>
                  {optionLabel(entry)}
                </option>
              )}
            </For>
          </select>
        </div>
        <div class="field">
          <label for="edit-device-poll">Poll interval (ms)</label>
          <input id="edit-device-poll" type="number" min="100" step="100" required value={pollIntervalMs()} onInput={(event) => setPollIntervalMs(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label>
            <input type="checkbox" checked={enabled()} onChange={(event) => setEnabled(event.currentTarget.checked)} /> Enabled
          </label>
        </div>
        <button type="submit" class="btn-primary" disabled={status.pending()}>
          Save device
        </button>
      </form>
    </>
  );
}
