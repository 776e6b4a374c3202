import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actorFromPrincipal, actorFromRelayedUser } from '../../src/access/site-actor';
import { saveLocalAccount } from '../../src/auth/local-accounts';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';

/* Who an alarm history, a lease or an audit entry names: a person's name, never an account id. */

let db: SqliteDatabase;

beforeEach(() => {
  db = openDatabase(':memory:');
  db.prepare(
    `INSERT INTO cloud_site_users (user_id, site_id, email, name, role, status, password_hash, developer)
     VALUES ('u-op', 'site-1', 'op@example.com', 'Olga Operator', 'operator', 'active', NULL, 0),
            ('u-off', 'site-1', 'off@example.com', '', 'site_manager', 'disabled', NULL, 0)`,
  ).run();
});

afterEach(() => {
  db.close();
});

describe('actors of edge API requests', () => {
  it('names a local account by its username', () => {
    const { account } = saveLocalAccount(db, { username: 'installer', passwordHash: 'x', replace: false });

    const actor = actorFromPrincipal(db, { subject: account.id, source: 'local', role: 'site_manager', developer: false });

    expect(actor).toEqual({ id: account.id, name: 'installer', role: 'site_manager', developer: false, origin: 'edge' });
  });

  it('names a synced user by the name the hub gave', () => {
    const actor = actorFromPrincipal(db, { subject: 'u-op', source: 'cloud-user', role: 'operator', developer: false });

    expect(actor.name).toBe('Olga Operator');
  });
});

describe('actors of requests the hub relays', () => {
  it('takes the role the edge synced, not one the hub claims', () => {
    const actor = actorFromRelayedUser(db, { id: 'u-op', email: 'op@example.com', name: 'Olga' });

    expect(actor.role).toBe('operator');
    expect(actor.origin).toBe('cloud');
  });

  it('gives a disabled user no role', () => {
    expect(actorFromRelayedUser(db, { id: 'u-off', email: 'off@example.com', name: '' }).role).toBeNull();
  });

  it('gives a user the edge does not know no role', () => {
    expect(actorFromRelayedUser(db, { id: 'u-new', email: 'new@example.com', name: 'New' }).role).toBeNull();
  });
});
