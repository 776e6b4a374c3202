import { createMemo, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useApp, useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage } from '../../components/admin/action-status';
import { ConfirmDialog, createConfirm } from '../../components/admin/confirm-dialog';
import { createOrganizationChoice, OrganizationPicker } from '../../components/admin/organization-choice';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { roleLabel } from '../../components/admin/roles';
import '../../components/admin/admin.css';
import { formatDateTime } from '../../format/time';
import { InviteForm, IssuedLinkCard, type IssuedLink } from './invite-form';

type User = components['schemas']['User'];
type StatusFilter = 'all' | 'active' | 'disabled' | 'invited';

const SEARCH_DELAY_MS = 300;

/**
 * Users of an organization: search and filter, invite with a set-password link, disable and enable,
 * and password resets. The hub sends no email, so every link it returns is shown here to pass on.
 */
export function UsersPage() {
  const app = useApp();
  const cloud = useCloud();
  const organization = createOrganizationChoice();
  const status = createActionStatus();
  const confirm = createConfirm();
  const [search, setSearch] = createSignal('');
  const [query, setQuery] = createSignal('');
  const [statusFilter, setStatusFilter] = createSignal<StatusFilter>('all');
  const [issued, setIssued] = createSignal<IssuedLink | null>(null);

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(searchTimer));
  const onSearch = (text: string) => {
    setSearch(text);
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => setQuery(text.trim()), SEARCH_DELAY_MS);
  };

  // createResource drops the response of a request that a newer search or organization replaced.
  const [users, { refetch }] = createResource(
    () => {
      const organizationId = organization.selectedId();
      return organizationId ? { organizationId, q: query() } : null;
    },
    async ({ organizationId, q }) =>
      (await unwrap(cloud.GET('/api/users', { params: { query: { organizationId, ...(q ? { q } : {}) } } }))).users,
  );

  const visibleUsers = createMemo(() => {
    if (users.state !== 'ready' && users.state !== 'refreshing') return [];
    const filter = statusFilter();
    return (users() ?? []).filter((user) => {
      if (filter === 'invited') return user.status === 'active' && !user.passwordSet;
      return filter === 'all' || user.status === filter;
    });
  });

  const roleText = (user: User) => {
    const role = user.memberships.find((membership) => membership.organizationId === organization.selectedId())?.role;
    return role ? roleLabel(role) : '–';
  };
  const isPlatformAdmin = () => app.viewer()?.platformAdmin === true;
  /** Org admins may not change platform admins or developers; the hub checks the rest of the rule. */
  const mayChange = (user: User) => isPlatformAdmin() || (!user.platformAdmin && !user.developer);

  const setUserStatus = async (user: User, next: 'active' | 'disabled') => {
    if (next === 'disabled') {
      const confirmed = await confirm.ask({
        title: `Disable ${user.email}?`,
        message: <p>{user.name} is logged out at once, cannot log in while disabled, and any set-password link of theirs stops working.</p>,
        confirmLabel: 'Disable user',
        danger: true,
      });
      if (!confirmed) return;
    }
    const updated = await status.run(
      () => unwrap(cloud.PATCH('/api/users/{userId}', { params: { path: { userId: user.id } }, body: { status: next } })),
      (result) => `${result.email} is now ${result.status === 'active' ? 'enabled' : 'disabled'}.`,
    );
    if (updated) void refetch();
  };

  const resetPassword = async (user: User) => {
    const confirmed = await confirm.ask({
      title: `Reset the password of ${user.email}?`,
      message: <p>The current password stops working and {user.name} is logged out everywhere. You get a link, valid for 24 hours, to pass on so they can choose a new password.</p>,
      confirmLabel: 'Reset password',
      danger: true,
    });
    if (!confirmed) return;
    const link = await status.run(
      () => unwrap(cloud.POST('/api/users/{userId}/reset-password', { params: { path: { userId: user.id } } })),
      () => `Password of ${user.email} reset. Pass the link below on to them.`,
    );
    if (link) {
      setIssued({ kind: 'reset', email: user.email, url: link.setPasswordUrl, expiresAt: link.expiresAt });
      void refetch();
    }
  };

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Users</h1>
          <p class="page-subtitle">
            <Show when={organization.selected()} fallback="Invite users and manage their accounts.">
              {(selected) => <>Members of {selected().name}.</>}
            </Show>
          </p>
        </div>
      </div>
      <ResourceView resource={organization.organizations} what="organizations">
        {() => (
          <>
            <div class="admin-toolbar">
              <OrganizationPicker choice={organization} />
            </div>
            <Show when={organization.selectedId() !== null || isPlatformAdmin()} fallback={<EmptyState>You administer no organization.</EmptyState>}>
              <InviteForm
                organizationId={organization.selectedId()}
                onInvited={(invitation) => {
                  setIssued({ kind: 'invitation', email: invitation.user.email, url: invitation.setPasswordUrl, expiresAt: invitation.expiresAt });
                  void refetch();
                }}
              />
              <Show when={issued()}>{(link) => <IssuedLinkCard link={link()} onDismiss={() => setIssued(null)} />}</Show>
              <section class="card" aria-labelledby="users-heading">
                <div class="card-header">
                  <h2 id="users-heading">Users</h2>
                </div>
                <StatusMessage status={status} testId="users-status" />
                <div class="admin-toolbar" role="search">
                  <div class="field">
                    <label for="user-search">Search</label>
                    <input
                      id="user-search"
                      type="search"
                      placeholder="Name or email"
                      value={search()}
                      onInput={(event) => onSearch(event.currentTarget.value)}
                      data-testid="user-search"
                    />
                  </div>
                  <div class="field">
                    <label for="user-status-filter">Status</label>
                    <select id="user-status-filter" onChange={(event) => setStatusFilter(event.currentTarget.value as StatusFilter)} data-testid="user-status-filter">
                      <option value="all">All</option>
                      <option value="active">Active</option>
                      <option value="invited">Invited, no password yet</option>
                      <option value="disabled">Disabled</option>
                    </select>
                  </div>
                </div>
                <Show when={organization.selectedId()} fallback={<EmptyState>Create an organization first; users are listed by organization.</EmptyState>}>
                  <ResourceView resource={users} what="users">
                    {() => (
                      <Show when={visibleUsers().length > 0} fallback={<EmptyState>No users match.</EmptyState>}>
                        <div class="table-wrap">
                          <table class="data" data-testid="users-table">
                            <thead>
                              <tr>
                                <th scope="col">Name</th>
                                <th scope="col">Email</th>
                                <th scope="col">Role</th>
                                <th scope="col">Status</th>
                                <th scope="col">Since</th>
                                <th scope="col">
                                  <span class="visually-hidden">Actions</span>
                                </th>
                              </tr>
                            </thead>
                            <tbody>
                              <For each={visibleUsers()}>
                                {(user) => (
                                  <tr data-testid={`user-row-${user.email}`}>
                                    <td>
                                      {user.name}
                                      <Show when={user.platformAdmin}>
                                        {' '}
                                        <span class="badge badge-info">Platform admin</span>
                                      </Show>
                                      <Show when={user.developer}>
                                        {' '}
                                        <span class="badge badge-info">Developer</span>
                                      </Show>
                                    </td>
                                    <td class="mono">{user.email}</td>
                                    <td>{roleText(user)}</td>
                                    <td>
                                      <UserStatusBadge user={user} />
                                    </td>
                                    <td class="admin-nowrap">{formatDateTime(Date.parse(user.createdAt))}</td>
                                    <td>
                                      <Show when={mayChange(user)}>
                                        <div class="admin-actions">
                                          <Show
                                            when={user.status === 'active'}
                                            fallback={
                                              <button type="button" class="btn-small" disabled={status.pending()} onClick={() => void setUserStatus(user, 'active')} data-testid="enable-user">
                                                Enable
                                              </button>
                                            }
                                          >
                                            <Show when={user.id !== app.viewer()?.id}>
                                              <button type="button" class="btn-small" disabled={status.pending()} onClick={() => void setUserStatus(user, 'disabled')} data-testid="disable-user">
                                                Disable
                                              </button>
                                            </Show>
                                          </Show>
                                          <Show when={user.status === 'active'}>
                                            <button type="button" class="btn-small" disabled={status.pending()} onClick={() => void resetPassword(user)} data-testid="reset-password">
                                              Reset password
                                            </button>
                                          </Show>
                                        </div>
                                      </Show>
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
                </Show>
              </section>
            </Show>
          </>
        )}
      </ResourceView>
      <ConfirmDialog confirm={confirm} />
    </>
  );
}

function UserStatusBadge(props: { user: User }) {
  return (
    <Show when={props.user.status === 'active'} fallback={<span class="badge badge-stale">Disabled</span>}>
      <Show when={props.user.passwordSet} fallback={<span class="badge badge-warn">Invited</span>}>
        <span class="badge badge-good">Active</span>
      </Show>
    </Show>
  );
}
