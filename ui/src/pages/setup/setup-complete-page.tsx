import { SetupFrame } from './setup-frame';

/**
 * `/setup` once the node is set up: nothing to do but log in. The wizard also shows it when another
 * tab finished setup. `rel="external"` keeps the router from handling the link, so the whole app
 * reloads: an app still in setup mode would lead `/login` back to `/setup`.
 */
export function SetupCompletePage() {
  return (
    <SetupFrame>
      <div class="card setup-card" data-testid="setup-complete">
        <h1>Setup is complete</h1>
        <p>This edge node is set up and runs its site. Log in with its local admin account or, on a paired node, with your cloud account.</p>
        <a href="/login" rel="external" class="btn btn-primary">
          Go to the login page
        </a>
      </div>
    </SetupFrame>
  );
}
