import { A } from '@solidjs/router';
import { ApiError, describeError } from '../../api/api-error';

/**
 * Checks whether loading a site failed because the site does not exist or the user may not see it. The
 * hub returns 404 for both, and 403 where the user sees the site but lacks the permission.
 */
export function isSiteUnavailable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

/** Renders the "Site not available" card of the per-site admin pages, with the hub's error message. */
export function SiteUnavailableCard(props: { error: unknown }) {
  return (
    <div class="card" role="alert" data-testid="site-unavailable">
      <h2>Site not available</h2>
      <p>This site does not exist, or your account has no access to it.</p>
      <p class="muted">{describeError(props.error)}</p>
      <A href="/">Go to your sites</A>
    </div>
  );
}
