import type { Change } from '../api/change';
import { revokeUserRefreshTokens } from '../auth/refresh-tokens';

/**
 * Ends every session of a user: revokes their refresh tokens, raises their permissions version and
 * rejects from then on every access token that carries a lower one. Access tokens issued after the
 * change commits carry the raised version and stay valid.
 */
export async function endUserSessions({ tx, permissionsChanged }: Pick<Change, 'tx' | 'permissionsChanged'>, userId: string): Promise<void> {
  await revokeUserRefreshTokens(tx, userId);
  // Raised first, so that the copy below is the version new logins read once this transaction commits.
  await permissionsChanged(userId);
  await tx`UPDATE users SET tokens_valid_from_version = permissions_version WHERE id = ${userId}`;
}
