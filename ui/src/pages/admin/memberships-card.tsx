import { createSignal, For, Show, type Resource } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useApp, useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage } from '../../components/admin/action-status';
import type { Confirm } from '../../components/admin/confirm-dialog';
import type { OrganizationChoice } from '../../components/admin/organization-choice';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { roleLabel } from '../../components/admin/roles';

export type Member = components['schemas']['OrganizationMember'];
type OrganizationRole = Member['role'];

/** Renders the organization's members with their role, and a form to add an existing user by email. */
export function MembershipsCard(props: {
  organization: OrganizationChoice;
  members: Resource<Member[]>;
  onChanged: () => void;
  confirm: Confirm;
}) {
  const app = useApp();
  const cloud = useCloud();
  const status = createActionStatus();
  const [email, setEmail] = createSignal('');
  const [role, setRole] = createSignal<OrganizationRole>('member');
  const organizationId = () => props.organization.selectedId() ?? '';

  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const added = await status.run(
      () => unwrap(cloud.POST('/api/organizations/{organizationId}/members', { params: { path: { organizationId: organizationId() } }, body: { email: email().trim(), role: role() } })),
      (member) => `${member.email} added as ${roleLabel(member.role)}.`,
    );
    if (added) {
      setEmail('');
      props.onChanged();
    }
  };

  const changeRole = async (member: Member, next: OrganizationRole) => {
    const updated = await status.run(
      () =>
        unwrap(
          cloud.PATCH('/api/organizations/{organizationId}/members/{userId}', {
            params: { path: { organizationId: organizationId(), userId: member.userId } },
            body: { role: next },
          }),
        ),
      (result) => `${result.email} is now ${roleLabel(result.role)}.`,
    );
    props.onChanged();
    if (updated && member.userId === app.viewer()?.id) app.refetchViewer();
  };

  const remove = async (member: Member) => {
    const confirmed = await props.confirm.ask({
      title: `Remove ${member.email} from ${props.organization.selected()?.name ?? 'the organization'}?`,
      message: <p>{member.name} loses the membership and every site access grant in this organization. The user account stays.</p>,
      confirmLabel: 'Remove member',
      danger: true,
    });
    if (!confirmed) return;
    const removed = await status.run(
      () => unwrap(cloud.DELETE('/api/organizations/{organizationId}/members/{userId}', { params: { path: { organizationId: organizationId(), userId: member.userId } } })),
      () => `${member.email} removed from the organization.`,
    );
    if (removed !== undefined) props.onChanged();
  };

  return (
    <section class="card" aria-labelledby="members-heading">
      <div class="card-header">
        <h2 id="members-heading">Members of {props.organization.selected()?.name}</h2>
      </div>
      <StatusMessage status={status} testId="members-status" />
      <form class="inline-fields" onSubmit={(event) => void add(event)} data-testid="add-member-form">
        <div class="field">
          <label for="member-email">Email of an existing user</label>
          <input id="member-email" type="email" required value={email()} onInput={(event) => setEmail(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="member-role">Organization role</label>
          <select id="member-role" onChange={(event) => setRole(event.currentTarget.value as OrganizationRole)}>
            <option value="member">Member</option>
            <option value="org_admin">Org admin</option>
          </select>
        </div>
        <button type="submit" disabled={status.pending()}>
          Add member
        </button>
      </form>
      <p class="field-hint">New people are invited on the users page; this adds a user who already has an account.</p>
      <ResourceView resource={props.members} what="members">
        {(list) => (
          <Show when={list().length > 0} fallback={<EmptyState>No members yet.</EmptyState>}>
            <div class="table-wrap">
              <table class="data" data-testid="members-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Status</th>
                    <th scope="col">Organization role</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(member) => (
                      <tr data-testid={`member-row-${member.email}`}>
                        <td>{member.name}</td>
                        <td class="mono">{member.email}</td>
                        <td>
                          <span class={member.status === 'active' ? 'badge badge-good' : 'badge badge-stale'}>{member.status === 'active' ? 'Active' : 'Disabled'}</span>
                        </td>
                        <td>
                          <label class="visually-hidden" for={`member-role-${member.userId}`}>
                            Organization role of {member.email}
                          </label>
                          <select
                            id={`member-role-${member.userId}`}
                            disabled={status.pending()}
                            onChange={(event) => void changeRole(member, event.currentTarget.value as OrganizationRole)}
                            data-testid="member-role"
                          >
                            <option value="member" selected={member.role === 'member'}>
                              Member
                            </option>
                            <option value="org_admin" selected={member.role === 'org_admin'}>
                              Org admin
                            </option>
                          </select>
                        </td>
                        <td>
                          <div class="admin-actions">
                            <button type="button" class="btn-small" disabled={status.pending()} onClick={() => void remove(member)} data-testid="remove-member">
                              Remove
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
  );
}
