import { A } from '@solidjs/router';
import { SetupFrame } from './setup-frame';

/** `/setup` once the node is set up: nothing to do but log in. */
export function SetupCompletePage() {
  return (
    <SetupFrame>
      <div class="card setup-card" data-testid="setup-complete">
        <h1>Setup is complete</h1>
        <p>This edge node is set up and runs its site. Log in with its local admin account or, on a paired node, with your cloud account.</p>
        <A href="/login" class="btn btn-primary">
          Go to the login page
        </A>
      </div>
    </SetupFrame>
  );
}
