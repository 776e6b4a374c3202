import type { EffectiveRole } from '@simtestlab/sync';
import { Match, Show, Switch } from 'solid-js';
import { describeError } from '../../api/api-error';
import { useApp } from '../../app/app-context';
import type { Viewer } from '../../app/viewer';
import { roleLabel } from '../../components/admin/roles';
import { ProfileAccess } from './profile-access';
import { NameSection, PasswordSection } from './profile-credentials';
import { accountSourceLabel, cloudProfileUrl } from './profile-labels';
import './account.css';

/** Shows the facts about the account: name, email, where the account is kept and the global roles. */
function AccountFacts(props: { viewer: Viewer }) {
  const app = useApp();
  const siteRole = () => props.viewer.sites[0]?.role;
  return (
    <section class="card" aria-labelledby="profile-account-title" data-testid="profile-account">
      <div class="card-header">
        <h2 id="profile-account-title">Account</h2>
      </div>
      <dl class="profile-facts">
        <dt>{props.viewer.source === 'local' ? 'Username' : 'Name'}</dt>
        <dd data-testid="profile-name">{props.viewer.name}</dd>
        <Show when={props.viewer.email}>
          <dt>Email</dt>
          <dd data-testid="profile-email">{props.viewer.email}</dd>
        </Show>
        <dt>Account type</dt>
        <dd data-testid="profile-source">{accountSourceLabel(props.viewer.source)}</dd>
        <Show when={app.instance.mode === 'edge' && siteRole()}>
          {(role) => (
            <>
              <dt>Role on this site</dt>
              <dd>
                <span class="badge badge-info" data-testid="profile-site-role">
                  {roleLabel(role() as EffectiveRole) ?? role()}
                </span>
              </dd>
            </>
          )}
        </Show>
        <Show when={app.instance.mode === 'cloud'}>
          <dt>Platform roles</dt>
          <dd data-testid="profile-roles">
            <Show when={props.viewer.platformAdmin}>
              <span class="badge badge-info">Platform admin</span>
            </Show>
            <Show when={props.viewer.developer}>
              <span class="badge badge-info">Developer</span>
            </Show>
            <Show when={!props.viewer.platformAdmin && !props.viewer.developer}>
              <span class="muted">None; your access comes from the organizations and sites below.</span>
            </Show>
          </dd>
        </Show>
      </dl>
    </section>
  );
}

/**
 * Shows the signed-in user's own page, in both modes: who they are, where they have access, and their
 * name and password where this server may change them.
 */
export function ProfilePage() {
  const app = useApp();
  const hubProfileUrl = cloudProfileUrl(app.instance);
  const subtitle = app.instance.mode === 'edge' ? `Your account on ${app.instance.siteName}` : 'Your SimTestLab EMS account';
  return (
    <>
      <div class="page-header">
        <div>
          <h1>Profile</h1>
          <p class="page-subtitle">{subtitle}</p>
        </div>
      </div>
      <Switch>
        <Match when={app.viewer.state === 'errored'}>
          <div class="alert alert-error" role="alert" data-testid="profile-error">
            Loading your profile failed: {describeError(app.viewer.error)}.{' '}
            <button type="button" class="btn-small" onClick={() => app.refetchViewer()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={app.viewer.state === 'ready' || app.viewer.state === 'refreshing' ? app.viewer() : null}>
          {(viewer) => (
            <div data-testid="profile-page">
              <div class="grid grid-2">
                <AccountFacts viewer={viewer()} />
                <NameSection viewer={viewer()} cloudProfileUrl={hubProfileUrl} />
              </div>
              <div class="grid grid-2">
                <ProfileAccess viewer={viewer()} cloudProfileUrl={hubProfileUrl} />
                <PasswordSection viewer={viewer()} cloudProfileUrl={hubProfileUrl} />
              </div>
            </div>
          )}
        </Match>
        <Match when={true}>
          <p class="muted" role="status" data-testid="profile-loading">
            Loading your profile…
          </p>
        </Match>
      </Switch>
    </>
  );
}
