import { join } from 'node:path';
import { writeAuditEntry, type AuditActorType } from '../audit/audit-log';
import { openDatabase } from '../store/database';
import { saveLocalAccount, type LocalAccount } from './local-accounts';
import { hashPassword, passwordProblem } from './passwords';

/**
 * Creates a local installer account in the edge database under `dataDir`, or sets its password when
 * `replace` is true, and writes the audit entry in the same transaction. The entry's actor is a `cli`
 * user and its action `local_account.created` or `local_account.password_set` unless `audit` names
 * others. Throws on an invalid username or password.
 */
export async function createLocalAdmin(
  dataDir: string,
  input: { username: string; password: string; replace: boolean; actorId: string; audit?: { actorType: AuditActorType; action: string } },
): Promise<{ account: LocalAccount; created: boolean }> {
  const problem = passwordProblem(input.password);
  if (problem !== null) throw new Error(problem);
  const passwordHash = await hashPassword(input.password);
  const db = openDatabase(join(dataDir, 'edge.db'));
  try {
    return db.transaction(() => {
      const saved = saveLocalAccount(db, { username: input.username, passwordHash, replace: input.replace });
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
  } finally {
    db.close();
  }
}
