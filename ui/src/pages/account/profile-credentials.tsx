import { Match, Show, Switch } from 'solid-js';
import { useApp } from '../../app/app-context';
import type { Viewer } from '../../app/viewer';
import { unwrap } from '../../api/http';
import { ChangePasswordForm } from './change-password-form';
import { NameForm } from './name-form';
import { managedInCloud } from './profile-labels';

/** Shows "in your profile in the cloud", linked when the edge has the hub's URL. */
function CloudProfileLink(props: { url: string | null }) {
  return (
    <Show when={props.url} fallback="in your profile in the cloud">
      {(url) => (
        <>
          in your{' '}
          <a href={url()} data-testid="cloud-profile-link">
            profile in the cloud
          </a>
        </>
      )}
    </Show>
  );
}

/** Shows the name form on the hub, and on the edge where the name is kept and how to change it. */
export function NameSection(props: { viewer: Viewer; cloudProfileUrl: string | null }) {
  const app = useApp();
  return (
    <section class="card" aria-labelledby="profile-name-title" data-testid="profile-name-section">
      <div class="card-header">
        <h2 id="profile-name-title">Name</h2>
      </div>
      <Switch>
        <Match when={app.instance.mode === 'cloud'}>
          <NameForm name={props.viewer.name} changed={app.refetchViewer} />
        </Match>
        <Match when={managedInCloud(props.viewer, app.instance)}>
          <p data-testid="name-in-cloud">
            Your name belongs to your cloud account. Change it <CloudProfileLink url={props.cloudProfileUrl} />; this edge node shows the new name after its
            next sync with the cloud.
          </p>
        </Match>
        <Match when={true}>
          <p class="muted" data-testid="name-local">
            The name of a local account is its username, chosen when the account was created on this edge node. It cannot be changed.
          </p>
        </Match>
      </Switch>
    </section>
  );
}

/**
 * Shows the password form. On the hub, a change ends every other session and revokes the current access
 * token too, so the session renews its token at once. On the edge only local accounts change their
 * password here, and cloud users are sent to the cloud.
 */
export function PasswordSection(props: { viewer: Viewer; cloudProfileUrl: string | null }) {
  const app = useApp();

  const changeInCloud = async (currentPassword: string, newPassword: string) => {
    await unwrap(app.cloud!.POST('/api/me/password', { body: { currentPassword, newPassword } }));
    // The response also set a new refresh cookie, which this renewal uses.
    await app.session.tokens.renew();
  };

  const changeOnEdge = async (currentPassword: string, newPassword: string) => {
    await unwrap(app.edge!.POST('/api/me/password', { body: { currentPassword, newPassword } }));
  };

  return (
    <section class="card" aria-labelledby="profile-password-title" data-testid="profile-password-section">
      <div class="card-header">
        <h2 id="profile-password-title">Password</h2>
      </div>
      <Switch>
        <Match when={app.cloud}>
          <p class="muted">Changing the password logs you out on every other device and browser. This session continues.</p>
          <div class="profile-form">
            <ChangePasswordForm change={changeInCloud} successText="Your password is changed. Your sessions on other devices have ended." />
          </div>
        </Match>
        <Match when={managedInCloud(props.viewer, app.instance)}>
          <p data-testid="password-in-cloud">
            Your password belongs to your cloud account. Change it <CloudProfileLink url={props.cloudProfileUrl} />; this edge node accepts the new password after its
            next sync with the cloud.
          </p>
        </Match>
        <Match when={true}>
          <p class="muted">This changes the password of the local account on this edge node only.</p>
          <div class="profile-form">
            <ChangePasswordForm change={changeOnEdge} successText="Your password is changed. Use the new password the next time you log in on this edge node." />
          </div>
        </Match>
      </Switch>
    </section>
  );
}
