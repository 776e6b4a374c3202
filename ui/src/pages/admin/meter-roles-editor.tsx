import { meterRoles, type MeterRole } from '@simtestlab/sync';
import { createEffect, createMemo, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useCloud } from '../../app/app-context';
import type { ActionStatus } from '../../components/admin/action-status';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { buildRolesMap, effectiveRole, METER_ROLE_LABELS, mergeMeterPoints, withRolesMap, type EffectiveRole, type MeterRolePoint } from './meter-roles';

type DeviceRecord = components['schemas']['DeviceRecord'];

const SOURCE_LABELS: Record<NonNullable<EffectiveRole['source']>, string> = {
  'roles-map': 'roles map',
  point: "point's own role",
  catalog: "point catalog's role",
};

/**
 * Reports `unsaved()` through `onUnsavedChange` while the calling component is mounted, and false once
 * it unmounts, because its edits go with it.
 */
export function reportUnsaved(unsaved: () => boolean, onUnsavedChange: ((unsaved: boolean) => void) | undefined): void {
  createEffect(() => onUnsavedChange?.(unsaved()));
  onCleanup(() => onUnsavedChange?.(false));
}

/**
 * Shows the device's `roles` map as a table of its power and energy points, hub-defined and catalog-only.
 * Site managers edit the entries and save them with the device, and other users see the roles read-only.
 * The points of the newest point catalog come from the site's energy settings, whose `meters` list every
 * W, kW, Wh and kWh point of the site. `onUnsavedChange` learns whether entries are edited but not saved.
 */
export function MeterRolesEditor(props: { record: DeviceRecord; canManage: boolean; status: ActionStatus; onSaved: () => void; onUnsavedChange?: (unsaved: boolean) => void }) {
  const cloud = useCloud();
  const [siteMeters, { refetch: refetchMeters }] = createResource(
    () => props.record.siteId,
    async (siteId) => (await unwrap(cloud.GET('/api/sites/{siteId}/energy-settings', { params: { path: { siteId } } }))).meters,
  );
  const [edits, setEdits] = createSignal<ReadonlyMap<string, MeterRole | null>>(new Map());

  const savedRoles = () => props.record.device.roles ?? {};
  const mapRoleOf = (key: string): MeterRole | null => {
    const edited = edits().get(key);
    return edited === undefined ? (savedRoles()[key] ?? null) : edited;
  };
  const changed = createMemo(() => [...edits()].some(([key, role]) => (savedRoles()[key] ?? null) !== role));
  reportUnsaved(() => props.canManage && changed(), props.onUnsavedChange);

  const edit = (key: string, role: MeterRole | null) => {
    const next = new Map(edits());
    next.set(key, role);
    setEdits(next);
  };

  const save = async () => {
    const roles = buildRolesMap(props.record.device.roles, edits());
    const saved = await props.status.run(
      () =>
        unwrap(
          cloud.PUT('/api/devices/{deviceId}', {
            params: { path: { deviceId: props.record.id } },
            body: { nodeId: props.record.nodeId, device: withRolesMap(props.record.device, roles) },
          }),
        ),
      (result) => `Meter roles of device ${result.device.key} saved.`,
    );
    if (saved === undefined) return;
    setEdits(new Map());
    void refetchMeters();
    props.onSaved();
  };

  return (
    <section aria-labelledby="meter-roles-heading" data-testid="meter-roles">
      <h3 class="admin-subheading" id="meter-roles-heading">
        Meter roles
      </h3>
      <p class="field-hint">
        Energy reports count a power or energy point by its meter role. An entry in the device's roles map wins over the role a point definition sets itself, both on
        the hub and on the edge node.
      </p>
      <ResourceView resource={siteMeters} what="the site's meters">
        {(meters) => {
          const points = createMemo(() => mergeMeterPoints(props.record.device.key, props.record.device.points, meters(), props.record.device.roles));
          return (
            <Show when={points().length > 0} fallback={<EmptyState testId="meter-roles-empty">This device has no power or energy points yet. Template and SunSpec points appear once the edge node reports its point catalog.</EmptyState>}>
              <div class="table-wrap">
                <table class="data" data-testid="meter-roles-table">
                  <thead>
                    <tr>
                      <th scope="col">Point</th>
                      <th scope="col">Unit</th>
                      <th scope="col">Defined in</th>
                      <th scope="col">Roles map entry</th>
                      <th scope="col">Counts as</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={points()}>{(point) => <MeterRoleRow point={point} mapRole={mapRoleOf(point.key)} canManage={props.canManage} disabled={props.status.pending()} onEdit={edit} />}</For>
                  </tbody>
                </table>
              </div>
              <Show when={props.canManage}>
                <div class="admin-actions">
                  <button type="button" class="btn-primary" disabled={props.status.pending() || !changed()} onClick={() => void save()} data-testid="save-meter-roles">
                    Save meter roles
                  </button>
                  <Show when={changed()}>
                    <button type="button" class="btn-small" disabled={props.status.pending()} onClick={() => setEdits(new Map())}>
                      Discard changes
                    </button>
                  </Show>
                </div>
              </Show>
              <p class="field-hint">
                A catalog point's own role is the one the edge node last reported, which already includes the roles map the edge node had then. It updates when the edge
                node sends its next point catalog.
              </p>
            </Show>
          );
        }}
      </ResourceView>
    </section>
  );
}

function MeterRoleRow(props: { point: MeterRolePoint; mapRole: MeterRole | null; canManage: boolean; disabled: boolean; onEdit: (key: string, role: MeterRole | null) => void }) {
  const resolved = () => effectiveRole(props.point, props.mapRole);
  const selectId = () => `meter-role-${props.point.key}`;
  return (
    <tr data-testid={`meter-role-row-${props.point.key}`}>
      <td>
        <span class="mono">{props.point.key}</span>
        <Show when={props.point.name}>{(name) => <span class="muted"> {name()}</span>}</Show>
      </td>
      <td>{props.point.unit}</td>
      <td>{props.point.definedIn === 'hub' ? 'Hub' : 'Point catalog'}</td>
      <td>
        <Show when={props.canManage} fallback={props.mapRole === null ? '–' : METER_ROLE_LABELS[props.mapRole]}>
          <label class="visually-hidden" for={selectId()}>
            Roles map entry of {props.point.key}
          </label>
          <select
            id={selectId()}
            disabled={props.disabled}
            onChange={(event) => props.onEdit(props.point.key, event.currentTarget.value === '' ? null : (event.currentTarget.value as MeterRole))}
            data-testid="meter-role-select"
          >
            <option value="" selected={props.mapRole === null}>
              No entry
            </option>
            <For each={meterRoles}>
              {(role) => (
                <option value={role} selected={role === props.mapRole}>
                  {METER_ROLE_LABELS[role]}
                </option>
              )}
            </For>
          </select>
        </Show>
      </td>
      <td data-testid="meter-role-effective">
        <Show when={resolved().role} fallback={<span class="muted">{props.point.ownRole === undefined ? "The point catalog's role, shown after saving" : 'No role'}</span>}>
          {(role) => (
            <>
              {METER_ROLE_LABELS[role()]} <span class="muted">(from the {SOURCE_LABELS[resolved().source!]})</span>
            </>
          )}
        </Show>
        <Show when={resolved().overridden}>{(own) => <div class="field-hint">Overrides the point's own role {METER_ROLE_LABELS[own()]}.</div>}</Show>
      </td>
    </tr>
  );
}
