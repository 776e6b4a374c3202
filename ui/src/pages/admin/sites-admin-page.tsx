import { roleAtLeast } from '@simtestlab/sync';
import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import { useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage } from '../../components/admin/action-status';
import { ConfirmDialog, createConfirm } from '../../components/admin/confirm-dialog';
import { createOrganizationChoice, OrganizationPicker } from '../../components/admin/organization-choice';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { createSiteChoice, type Site } from '../../components/admin/site-choice';
import '../../components/admin/admin.css';
import { SiteHierarchyEditor } from './site-hierarchy';

/** Lists the IANA time zones the browser supports, for the time zone field's suggestions. */
function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The settings a site form edits. */
interface SiteSettings {
  name: string;
  timeZone: string;
  operatorControl: boolean;
}

/**
 * Sites of an organization (create, change name, time zone and operator control, delete) and the
 * hierarchy of the chosen site.
 */
export function SitesAdminPage() {
  const cloud = useCloud();
  const organization = createOrganizationChoice();
  const sites = createSiteChoice(organization);
  const status = createActionStatus();
  const confirm = createConfirm();
  const [editing, setEditing] = createSignal<string | null>(null);

  const create = async (settings: SiteSettings) => {
    const organizationId = organization.selectedId();
    if (!organizationId) return false;
    const created = await status.run(
      () => unwrap(cloud.POST('/api/organizations/{organizationId}/sites', { params: { path: { organizationId } }, body: settings })),
      (site) => `Site ${site.name} created.`,
    );
    if (!created) return false;
    await sites.refetch();
    sites.select(created.id);
    return true;
  };

  const update = async (site: Site, settings: SiteSettings) => {
    const updated = await status.run(
      () => unwrap(cloud.PATCH('/api/sites/{siteId}', { params: { path: { siteId: site.id } }, body: settings })),
      (result) => `Settings of ${result.name} saved.`,
    );
    if (!updated) return false;
    setEditing(null);
    void sites.refetch();
    return true;
  };

  const remove = async (site: Site) => {
    const confirmed = await confirm.ask({
      title: `Delete site ${site.name}?`,
      message: (
        <p>
          This deletes the site with its hierarchy, devices and points, alarm rules, access grants and edge nodes. Its edge node stops syncing
          with this hub. This cannot be undone.
        </p>
      ),
      confirmLabel: 'Delete site',
      danger: true,
    });
    if (!confirmed) return;
    const deleted = await status.run(
      () => unwrap(cloud.DELETE('/api/sites/{siteId}', { params: { path: { siteId: site.id } } })),
      () => `Site ${site.name} deleted.`,
    );
    if (deleted !== undefined) void sites.refetch();
  };

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Sites and hierarchy</h1>
          <p class="page-subtitle">Sites of an organization and their buildings, areas and systems.</p>
        </div>
      </div>
      <ResourceView resource={organization.organizations} what="organizations">
        {() => (
          <Show when={organization.selectedId()} fallback={<EmptyState>You administer no organization.</EmptyState>}>
            <div class="admin-toolbar">
              <OrganizationPicker choice={organization} />
            </div>
            <section class="card" aria-labelledby="create-site-heading">
              <h2 id="create-site-heading">New site</h2>
              <SiteForm submitLabel="Create site" idPrefix="new-site" testId="create-site-form" initial={{ name: '', timeZone: browserTimeZone, operatorControl: false }} onSubmit={create} />
            </section>
            <section class="card" aria-labelledby="sites-heading">
              <div class="card-header">
                <h2 id="sites-heading">Sites of {organization.selected()?.name}</h2>
              </div>
              <StatusMessage status={status} testId="sites-status" />
              <ResourceView resource={sites.sites} what="sites">
                {() => (
                  <Show when={sites.list().length > 0} fallback={<EmptyState>No sites yet. Create the first one above.</EmptyState>}>
                    <div class="table-wrap">
                      <table class="data" data-testid="sites-table">
                        <thead>
                          <tr>
                            <th scope="col">Name</th>
                            <th scope="col">Time zone</th>
                            <th scope="col">Operator control</th>
                            <th scope="col">
                              <span class="visually-hidden">Actions</span>
                            </th>
                          </tr>
                        </thead>
                        <tbody>
                          <For each={sites.list()}>
                            {(site) => (
                              <>
                                <tr data-testid={`site-row-${site.name}`} classList={{ 'admin-selected-row': site.id === sites.selectedId() }}>
                                  <td>
                                    <A href={`/sites/${encodeURIComponent(site.id)}`}>{site.name}</A>
                                  </td>
                                  <td>{site.timeZone}</td>
                                  <td>
                                    <span class={site.operatorControl ? 'badge badge-warn' : 'badge badge-stale'}>{site.operatorControl ? 'Operators may control' : 'Site managers only'}</span>
                                  </td>
                                  <td>
                                    <div class="admin-actions">
                                      <button type="button" class="btn-small" aria-pressed={site.id === sites.selectedId()} onClick={() => sites.select(site.id)} data-testid="show-hierarchy">
                                        Hierarchy
                                      </button>
                                      <A class="btn btn-small" href={`/admin/sites/${encodeURIComponent(site.id)}/energy`} data-testid="site-energy-settings">
                                        Energy
                                      </A>
                                      <Show when={roleAtLeast(site.role, 'site_manager')}>
                                        <button type="button" class="btn-small" onClick={() => setEditing(editing() === site.id ? null : site.id)} aria-expanded={editing() === site.id} data-testid="edit-site">
                                          Settings
                                        </button>
                                      </Show>
                                      <Show when={roleAtLeast(site.role, 'org_admin')}>
                                        <button type="button" class="btn-small btn-danger" disabled={status.pending()} onClick={() => void remove(site)} data-testid="delete-site">
                                          Delete
                                        </button>
                                      </Show>
                                    </div>
                                  </td>
                                </tr>
                                <Show when={editing() === site.id}>
                                  <tr>
                                    <td colSpan={4}>
                                      <SiteForm
                                        submitLabel="Save settings"
                                        idPrefix={`site-${site.id}`}
                                        testId="edit-site-form"
                                        initial={{ name: site.name, timeZone: site.timeZone, operatorControl: site.operatorControl }}
                                        onSubmit={(settings) => update(site, settings)}
                                        onCancel={() => setEditing(null)}
                                      />
                                    </td>
                                  </tr>
                                </Show>
                              </>
                            )}
                          </For>
                        </tbody>
                      </table>
                    </div>
                  </Show>
                )}
              </ResourceView>
            </section>
            <Show when={sites.selected()} keyed>
              {(site) => <SiteHierarchyEditor site={site} canManage={roleAtLeast(site.role, 'site_manager')} confirm={confirm} />}
            </Show>
          </Show>
        )}
      </ResourceView>
      <ConfirmDialog confirm={confirm} />
    </>
  );
}

/** Name, time zone and operator control of a site; `onSubmit` resolves true when the hub accepted them. */
function SiteForm(props: {
  submitLabel: string;
  idPrefix: string;
  testId: string;
  initial: SiteSettings;
  onSubmit: (settings: SiteSettings) => Promise<boolean>;
  onCancel?: () => void;
}) {
  const [name, setName] = createSignal(props.initial.name);
  const [timeZone, setTimeZone] = createSignal(props.initial.timeZone);
  const [operatorControl, setOperatorControl] = createSignal(props.initial.operatorControl);
  const [pending, setPending] = createSignal(false);
  const zonesId = `${props.idPrefix}-zones`;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setPending(true);
    const saved = await props.onSubmit({ name: name().trim(), timeZone: timeZone().trim(), operatorControl: operatorControl() });
    setPending(false);
    if (saved && !props.onCancel) {
      setName('');
      setOperatorControl(false);
    }
  };

  return (
    <form class="inline-fields" onSubmit={(event) => void submit(event)} data-testid={props.testId} onKeyDown={(event) => event.key === 'Escape' && props.onCancel?.()}>
      <div class="field">
        <label for={`${props.idPrefix}-name`}>Name</label>
        <input id={`${props.idPrefix}-name`} required maxLength={200} value={name()} onInput={(event) => setName(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={`${props.idPrefix}-zone`}>Time zone</label>
        <input id={`${props.idPrefix}-zone`} required list={zonesId} value={timeZone()} onInput={(event) => setTimeZone(event.currentTarget.value)} />
        <datalist id={zonesId}>
          <For each={timeZones()}>{(zone) => <option value={zone} />}</For>
        </datalist>
      </div>
      <div class="field">
        <label>
          <input type="checkbox" checked={operatorControl()} onChange={(event) => setOperatorControl(event.currentTarget.checked)} /> Operators may control devices
        </label>
        <p class="field-hint">Site managers and above always may.</p>
      </div>
      <div class="button-row">
        <button type="submit" class="btn-primary" disabled={pending()}>
          {props.submitLabel}
        </button>
        <Show when={props.onCancel}>
          <button type="button" onClick={() => props.onCancel?.()}>
            Cancel
          </button>
        </Show>
      </div>
    </form>
  );
}
