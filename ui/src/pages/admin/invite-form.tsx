import { createSignal, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage } from '../../components/admin/action-status';
import { SecretField } from '../../components/admin/copy-button';
import { formatDateTime } from '../../format/time';

/** A set-password link the hub returned, shown until the admin dismisses it. */
export interface IssuedLink {
  kind: 'invitation' | 'reset';
  email: string;
  url: string;
  expiresAt: string;
}

/** Renders the invite form: a new user in the chosen organization, or in none (platform admins only). */
export function InviteForm(props: { organizationId: string | null; onInvited: (invitation: components['schemas']['UserInvitation']) => void }) {
  const cloud = useCloud();
  const status = createActionStatus();
  const [email, setEmail] = createSignal('');
  const [name, setName] = createSignal('');
  const [role, setRole] = createSignal<'member' | 'org_admin'>('member');

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const organizationId = props.organizationId;
    const body = organizationId
      ? { email: email().trim(), name: name().trim(), organizationId, organizationRole: role() }
      : { email: email().trim(), name: name().trim() };
    const invitation = await status.run(
      () => unwrap(cloud.POST('/api/users', { body })),
      (result) => `${result.user.email} invited. Pass the invitation link below on to them.`,
    );
    if (invitation) {
      setEmail('');
      setName('');
      props.onInvited(invitation);
    }
  };

  return (
    <section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite a user</h2>
      <StatusMessage status={status} testId="invite-status" />
      <form class="inline-fields" onSubmit={(event) => void submit(event)} data-testid="invite-form">
        <div class="field">
          <label for="invite-email">Email</label>
          <input id="invite-email" type="email" required autocomplete="off" value={email()} onInput={(event) => setEmail(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="invite-name">Name</label>
          <input id="invite-name" required maxLength={200} value={name()} onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <Show when={props.organizationId}>
          <div class="field">
            <label for="invite-role">Organization role</label>
            <select id="invite-role" onChange={(event) => setRole(event.currentTarget.value as 'member' | 'org_admin')}>
              <option value="member" selected={role() === 'member'}>
                Member
              </option>
              <option value="org_admin" selected={role() === 'org_admin'}>
                Org admin
              </option>
            </select>
          </div>
        </Show>
        <button type="submit" class="btn-primary" disabled={status.pending()}>
          Invite
        </button>
      </form>
      <p class="field-hint">Members see only the sites they are granted on the access page; org admins see every site of the organization.</p>
    </section>
  );
}

/** Renders the link of the last invitation or reset, which the hub returns only once. */
export function IssuedLinkCard(props: { link: IssuedLink; onDismiss: () => void }) {
  return (
    <section class="card admin-one-time" aria-labelledby="issued-link-heading" data-testid="issued-link">
      <div class="card-header">
        <h2 id="issued-link-heading">{props.link.kind === 'invitation' ? 'Invitation link' : 'Password reset link'}</h2>
        <button type="button" class="btn-small" onClick={() => props.onDismiss()}>
          Dismiss
        </button>
      </div>
      <SecretField
        label={props.link.kind === 'invitation' ? 'Invitation link' : 'Reset link'}
        value={props.link.url}
        testId={props.link.kind === 'invitation' ? 'invite-link' : 'reset-link'}
        hint={`This hub sends no email: give this link to ${props.link.email} over a channel you trust. It works once and expires ${formatDateTime(Date.parse(props.link.expiresAt))}. It is not shown again.`}
      />
    </section>
  );
}
