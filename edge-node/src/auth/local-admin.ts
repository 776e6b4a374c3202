import { join } from 'node:path';
import { writeAuditEntry, type AuditActorType } from '../audit/audit-log';
import { openDatabase, type SqliteDatabase } from '../store/database';
import { saveLocalAccount, type LocalAccount } from './local-accounts';
import { hashPassword, passwordProblem } from './passwords';

/** Local installer account to store. `audit` overrides the actor type and action of its audit entry. */
export interface LocalAdminInput {
  username: string;
  password: string;
  replace: boolean;
  actorId: string;
  audit?: { actorType: AuditActorType; action: string };
}

/**
 * Creates a local installer account in the edge database under `dataDir`, or sets its password when
 * `replace` is true, and writes the audit entry in the same transaction. The entry's actor is a `cli`
 * user and its action `local_account.created` or `local_account.password_set` unless `audit` names
 * others. Throws on an invalid username or password. For a process that already has the database
 * open, use `hashLocalAdminPassword` and `storeLocalAdmin` on that connection instead.
 */
export async function createLocalAdmin(dataDir: string, input: LocalAdminInput): Promise<{ account: LocalAccount; created: boolean }> {
  const passwordHash = await hashLocalAdminPassword(input.password);
  const db = openDatabase(join(dataDir, 'edge.db'));
  try {
    return storeLocalAdmin(db, { ...input, passwordHash });
  } finally {
    db.close();
  }
}

/** Checks the password rules and returns the argon2id hash. Throws an Error with the rule that failed. */
export async function hashLocalAdminPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem !== null) throw new Error(problem);
  return hashPassword(password);
}

/** Saves the account and its audit entry in one transaction on `db`; see `createLocalAdmin`. */
export function storeLocalAdmin(
  db: SqliteDatabase,
  input: Omit<LocalAdminInput, 'password'> & { passwordHash: string },
): { account: LocalAccount; created: boolean } {
  return db.transaction(() => {
    const saved = saveLocalAccount(db, { username: input.username, passwordHash: input.passwordHash, replace: input.replace });
    writeAuditEntry(db, {
      actorType: input.audit?.actorType ?? 'cli',
      actorId: input.actorId,
      action: input.audit?.action ?? (saved.created ? 'local_account.created' : 'local_account.password_set'),
      targetType: 'local_account',
      targetId: saved.account.id,
      details: { username: saved.account.username, role: saved.account.role },
    });
    return saved;
  })();
}
