import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import { useApp, useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage } from '../../components/admin/action-status';
import { ConfirmDialog, createConfirm } from '../../components/admin/confirm-dialog';
import { InlineRename } from '../../components/admin/inline-rename';
import type { Organization } from '../../components/admin/organization-choice';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { roleLabel } from '../../components/admin/roles';
import { OrganizationCurrency } from '../../components/energy-settings/organization-currency';
import '../../components/admin/admin.css';
import { formatDateTime } from '../../format/time';

/**
 * Organizations: every organization for platform admins, who also create and delete them; org admins
 * see the organizations they belong to and rename those they administer.
 */
export function OrganizationsPage() {
  const app = useApp();
  const cloud = useCloud();
  const status = createActionStatus();
  const confirm = createConfirm();
  const [organizations, { refetch }] = createResource(async () => (await unwrap(cloud.GET('/api/organizations'))).organizations);
  const isPlatformAdmin = () => app.viewer()?.platformAdmin === true;
  const mayManage = (organization: Organization) => isPlatformAdmin() || organization.role === 'org_admin';

  const rename = async (organization: Organization, name: string) => {
    const updated = await status.run(
      () => unwrap(cloud.PATCH('/api/organizations/{organizationId}', { params: { path: { organizationId: organization.id } }, body: { name } })),
      (result) => `Organization renamed to ${result.name}.`,
    );
    if (updated) void refetch();
    return updated !== undefined;
  };

  const remove = async (organization: Organization) => {
    const confirmed = await confirm.ask({
      title: `Delete ${organization.name}?`,
      message: (
        <p>
          This deletes the organization with its memberships, sites, devices, access grants and edge nodes. Users stay, but lose their
          access to it. This cannot be undone.
        </p>
      ),
      confirmLabel: 'Delete organization',
      danger: true,
    });
    if (!confirmed) return;
    const deleted = await status.run(
      () => unwrap(cloud.DELETE('/api/organizations/{organizationId}', { params: { path: { organizationId: organization.id } } })),
      () => `Organization ${organization.name} deleted.`,
    );
    if (deleted !== undefined) void refetch();
  };

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Organizations</h1>
          <p class="page-subtitle">{isPlatformAdmin() ? 'Every organization on this hub.' : 'The organizations you belong to.'}</p>
        </div>
      </div>
      <StatusMessage status={status} />
      <Show when={isPlatformAdmin()}>
        <CreateOrganizationForm onCreated={() => void refetch()} />
      </Show>
      <section class="card" aria-labelledby="organizations-heading">
        <div class="card-header">
          <h2 id="organizations-heading">Organizations</h2>
        </div>
        <ResourceView resource={organizations} what="organizations">
          {(list) => (
            <Show when={list().length > 0} fallback={<EmptyState>No organizations yet.{isPlatformAdmin() ? ' Create the first one above.' : ''}</EmptyState>}>
              <div class="table-wrap">
                <table class="data" data-testid="organizations-table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Your role</th>
                      <th scope="col">Currency</th>
                      <th scope="col">Created</th>
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(organization) => (
                        <tr data-testid={`organization-row-${organization.name}`}>
                          <td>
                            <InlineRename
                              name={organization.name}
                              label="organization"
                              testId={`organization-${organization.id}`}
                              disabled={!mayManage(organization)}
                              save={(name) => rename(organization, name)}
                            />
                          </td>
                          <td>{organization.role ? roleLabel(organization.role) : <span class="muted">Not a member</span>}</td>
                          <td>
                            <OrganizationCurrency organization={organization} canEdit={mayManage(organization)} />
                          </td>
                          <td class="admin-nowrap">{formatDateTime(Date.parse(organization.createdAt))}</td>
                          <td>
                            <div class="admin-actions">
                              <Show when={mayManage(organization)}>
                                <A class="btn btn-small" href={`/admin/users?org=${encodeURIComponent(organization.id)}`}>
                                  Users
                                </A>
                                <A class="btn btn-small" href={`/admin/access?org=${encodeURIComponent(organization.id)}`} data-testid="open-members">
                                  Members
                                </A>
                                <A class="btn btn-small" href={`/admin/sites?org=${encodeURIComponent(organization.id)}`}>
                                  Sites
                                </A>
                              </Show>
                              <Show when={isPlatformAdmin()}>
                                <button type="button" class="btn-small btn-danger" disabled={status.pending()} onClick={() => void remove(organization)}>
                                  Delete
                                </button>
                              </Show>
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
      <ConfirmDialog confirm={confirm} />
    </>
  );
}

/** Renders the platform admin's form for a new organization. */
function CreateOrganizationForm(props: { onCreated: () => void }) {
  const cloud = useCloud();
  const status = createActionStatus();
  const [name, setName] = createSignal('');

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const created = await status.run(
      () => unwrap(cloud.POST('/api/organizations', { body: { name: name().trim() } })),
      (organization) => `Organization ${organization.name} created.`,
    );
    if (created) {
      setName('');
      props.onCreated();
    }
  };

  return (
    <section class="card" aria-labelledby="create-organization-heading">
      <h2 id="create-organization-heading">New organization</h2>
      <StatusMessage status={status} testId="create-organization-status" />
      <form class="inline-fields" onSubmit={(event) => void submit(event)} data-testid="create-organization-form">
        <div class="field">
          <label for="organization-name">Name</label>
          <input id="organization-name" required maxLength={200} value={name()} onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <button type="submit" class="btn-primary" disabled={status.pending()}>
          Create organization
        </button>
      </form>
    </section>
  );
}
