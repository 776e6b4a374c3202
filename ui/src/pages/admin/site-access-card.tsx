import { grantableSiteRoles, type SiteRole } from '@simtestlab/sync';
import { createMemo, createResource, createSignal, For, Show, type Resource } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage } from '../../components/admin/action-status';
import type { Confirm } from '../../components/admin/confirm-dialog';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { roleLabel } from '../../components/admin/roles';
import type { Site } from '../../components/admin/site-choice';
import { formatDateTime } from '../../format/time';
import type { Member } from './memberships-card';

type Grant = components['schemas']['SiteAccessGrant'];

/** Renders the grants of one site: a grant form, and a row per grant to change or revoke it. */
export function SiteAccess(props: { site: Site; members: Resource<Member[]>; confirm: Confirm }) {
  const cloud = useCloud();
  const status = createActionStatus();
  const [grants, { refetch }] = createResource(async () => (await unwrap(cloud.GET('/api/sites/{siteId}/access', { params: { path: { siteId: props.site.id } } }))).grants);
  const grantable = () => grantableSiteRoles(props.site.role);
  const [userId, setUserId] = createSignal('');
  const [role, setRole] = createSignal<SiteRole>('viewer');

  /** Members without a grant here, the ones the grant form offers; org admins need none, but may get one. */
  const candidates = createMemo(() => {
    if (props.members.state !== 'ready' && props.members.state !== 'refreshing') return [];
    if (grants.state !== 'ready' && grants.state !== 'refreshing') return [];
    const granted = new Set((grants() ?? []).map((grant) => grant.userId));
    return (props.members() ?? []).filter((member) => !granted.has(member.userId) && member.status === 'active');
  });
  const chosenUserId = () => candidates().find((member) => member.userId === userId())?.userId ?? candidates()[0]?.userId ?? '';
  const chosenRole = () => (grantable().includes(role()) ? role() : (grantable()[0] ?? 'viewer'));

  const put = (targetUserId: string, next: SiteRole) =>
    unwrap(cloud.PUT('/api/sites/{siteId}/access/{userId}', { params: { path: { siteId: props.site.id, userId: targetUserId } }, body: { role: next } }));

  const grant = async (event: SubmitEvent) => {
    event.preventDefault();
    const result = await status.run(
      () => put(chosenUserId(), chosenRole()),
      (granted) => `${granted.email} may now open ${props.site.name} as ${roleLabel(granted.role)}.`,
    );
    if (result) void refetch();
  };

  const change = async (current: Grant, next: SiteRole) => {
    await status.run(
      () => put(current.userId, next),
      (granted) => `${granted.email} is now ${roleLabel(granted.role)} at ${props.site.name}.`,
    );
    void refetch();
  };

  const revoke = async (current: Grant) => {
    const confirmed = await props.confirm.ask({
      title: `Revoke the access of ${current.email}?`,
      message: <p>{current.name} can no longer open {props.site.name}, unless they are an org admin of its organization.</p>,
      confirmLabel: 'Revoke access',
      danger: true,
    });
    if (!confirmed) return;
    const revoked = await status.run(
      () => unwrap(cloud.DELETE('/api/sites/{siteId}/access/{userId}', { params: { path: { siteId: props.site.id, userId: current.userId } } })),
      () => `Access of ${current.email} to ${props.site.name} revoked.`,
    );
    if (revoked !== undefined) void refetch();
  };

  return (
    <>
      <StatusMessage status={status} testId="access-status" />
      <Show when={grantable().length > 0} fallback={<p class="muted">Your role at this site ({roleLabel(props.site.role)}) may not grant access.</p>}>
        <form class="inline-fields" onSubmit={(event) => void grant(event)} data-testid="grant-access-form">
          <div class="field">
            <label for="grant-user">User</label>
            <select id="grant-user" required onChange={(event) => setUserId(event.currentTarget.value)} data-testid="grant-user">
              <Show when={candidates().length === 0}>
                <option value="">Every member has access</option>
              </Show>
              <For each={candidates()}>
                {(member) => (
                  <option value={member.userId} selected={member.userId === chosenUserId()}>
                    {member.name} ({member.email}){member.role === 'org_admin' ? ', org admin' : ''}
                  </option>
                )}
              </For>
            </select>
          </div>
          <div class="field">
            <label for="grant-role">Site role</label>
            <select id="grant-role" onChange={(event) => setRole(event.currentTarget.value as SiteRole)} data-testid="grant-role">
              <For each={grantable()}>
                {(option) => (
                  <option value={option} selected={option === chosenRole()}>
                    {roleLabel(option)}
                  </option>
                )}
              </For>
            </select>
          </div>
          <button type="submit" class="btn-primary" disabled={status.pending() || chosenUserId() === ''}>
            Grant access
          </button>
        </form>
        <p class="field-hint">Only members of the organization can be granted access. Add people on the users page or with the member form above.</p>
      </Show>
      <ResourceView resource={grants} what="access grants">
        {(list) => (
          <Show when={list().length > 0} fallback={<EmptyState>Nobody has an access grant at {props.site.name}. Org admins open it without one.</EmptyState>}>
            <div class="table-wrap">
              <table class="data" data-testid="access-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Site role</th>
                    <th scope="col">Granted</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(current) => (
                      <tr data-testid={`access-row-${current.email}`}>
                        <td>{current.name}</td>
                        <td class="mono">{current.email}</td>
                        <td>
                          <Show when={grantable().includes(current.role)} fallback={<span data-testid="access-role">{roleLabel(current.role)}</span>}>
                            <label class="visually-hidden" for={`access-role-${current.userId}`}>
                              Site role of {current.email}
                            </label>
                            <select
                              id={`access-role-${current.userId}`}
                              disabled={status.pending()}
                              onChange={(event) => void change(current, event.currentTarget.value as SiteRole)}
                              data-testid="access-role"
                            >
                              <For each={grantable()}>
                                {(option) => (
                                  <option value={option} selected={option === current.role}>
                                    {roleLabel(option)}
                                  </option>
                                )}
                              </For>
                            </select>
                          </Show>
                        </td>
                        <td class="admin-nowrap">{formatDateTime(Date.parse(current.createdAt))}</td>
                        <td>
                          <div class="admin-actions">
                            <Show when={grantable().includes(current.role)}>
                              <button type="button" class="btn-small" disabled={status.pending()} onClick={() => void revoke(current)} data-testid="revoke-access">
                                Revoke
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
    </>
  );
}
