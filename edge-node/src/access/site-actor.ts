import { isAllowed, type Action, type EffectiveRole, type RelayedUser, type SitePolicy } from '@simtestlab/sync';
import type { AuthPrincipal } from '../auth/edge-auth';
import type { SqliteDatabase } from '../store/database';

/**
 * Someone acting at this site: a user of the edge's own API, or a hub user whose request the hub
 * relayed over the uplink. Alarm actions and control commands take one, so the edge checks the same
 * right with the same data whichever way the request came.
 */
export interface SiteActor {
  id: string;
  /** Display name for histories and audit entries: the user's name, else the email or username. */
  name: string;
  /** Effective role at this site, or null for a user the edge does not know or who is disabled. */
  role: EffectiveRole | null;
  developer: boolean;
  origin: 'edge' | 'cloud';
}

interface SiteUserRow {
  email: string;
  name: string | null;
  role: EffectiveRole;
  status: 'active' | 'disabled';
  developer: number;
}

const findUser = (db: SqliteDatabase, userId: string) =>
  db.prepare<[string], SiteUserRow>('SELECT email, name, role, status, developer FROM cloud_site_users WHERE user_id = ?').get(userId);

/**
 * Builds the actor behind a request to the edge's API. A local account is named by its username, a
 * synced user by the name (else the email) in `cloud_site_users`.
 */
export function actorFromPrincipal(db: SqliteDatabase, principal: AuthPrincipal): SiteActor {
  let name: string | undefined;
  if (principal.source === 'local') {
    name = db.prepare<[string], { username: string }>('SELECT username FROM local_accounts WHERE id = ?').get(principal.subject)?.username;
  } else {
    const user = findUser(db, principal.subject);
    name = user && (user.name || user.email);
  }
  return { id: principal.subject, name: name ?? principal.subject, role: principal.role, developer: principal.developer, origin: 'edge' };
}

/**
 * Builds the actor behind a request the hub relayed. The role is the one this edge has synced for the user,
 * not one the hub claims: a user the edge does not know, or who is disabled, has no role.
 */
export function actorFromRelayedUser(db: SqliteDatabase, relayed: RelayedUser): SiteActor {
  const user = findUser(db, relayed.id);
  const active = user !== undefined && user.status === 'active';
  return {
    id: relayed.id,
    name: relayed.name || relayed.email,
    role: active ? user.role : null,
    developer: active ? user.developer === 1 : false,
    origin: 'cloud',
  };
}

/**
 * Reads the site's policy: from the synced site row once the edge is paired and has it, else from the
 * site file (`site.operatorControl`).
 */
export function sitePolicy(db: SqliteDatabase, fileOperatorControl: boolean): SitePolicy {
  const row = db.prepare<[], { operator_control: number }>('SELECT operator_control FROM cloud_site LIMIT 1').get();
  return { operatorControl: row ? row.operator_control === 1 : fileOperatorControl };
}

/** Decides whether the actor may take `action` at this site under its policy. */
export function actorMay(actor: SiteActor, action: Action, policy: SitePolicy): boolean {
  return isAllowed({ role: actor.role, developer: actor.developer }, action, policy);
}
