import type { PermissionCache } from '../access/permission-cache';
import { runAuditedChange } from '../api/change';
import type { AuditActor } from '../audit/audit-log';
import type { Sql } from '../db/connect';
import { allOrganizations } from '../db/scope';
import type { Logger } from '../logger';
import { createPasswordToken, voidPasswordLinks } from '../users/password-links';
import { endUserSessions } from '../users/user-sessions';

/** Actor of the audit entries the CLI writes. */
export const CLI_ACTOR: AuditActor = { actorType: 'system', actorId: 'cli', ip: null, userAgent: null, requestId: null };

/** How long the set-password link of `cloud create-admin` stays valid. */
export const ADMIN_LINK_TTL_MS = 24 * 3600 * 1000;

export interface PlatformAdminRequest {
  email: string;
  /** Name of a new user; an existing user keeps theirs. */
  name: string;
  /** argon2id hash of the password to set, or null to issue a set-password link. */
  passwordHash: string | null;
}

export interface PlatformAdminResult {
  userId: string;
  outcome: 'created' | 'promoted' | 'unchanged';
  /** The existing user was disabled and is active again. */
  reactivated: boolean;
  /** Token of the set-password link; null when a password was set. */
  setPasswordToken: string | null;
}

type ExistingUser = { id: string; email: string; status: 'active' | 'disabled'; platform_admin: boolean };

export interface PlatformAdminDeps {
  sql: Sql;
  permissions: Pick<PermissionCache, 'invalidate'>;
  logger: Logger;
}

/**
 * Creates an active platform admin, or promotes (and reactivates) the user who has the email, in one
 * audited transaction. Calls `announce` before changing an existing user, so the operator learns that
 * the email was taken. Setting a password on an existing user ends their sessions and voids their
 * unused set-password links. Issuing a link voids the earlier unused ones.
 */
export async function createPlatformAdmin(
  deps: PlatformAdminDeps,
  request: PlatformAdminRequest,
  announce: (message: string) => void,
): Promise<PlatformAdminResult> {
  return runAuditedChange(deps, CLI_ACTOR, allOrganizations, async ({ tx, audit, permissionsChanged }) => {
    const passwordSetup = request.passwordHash === null ? 'set_password_link' : 'password_set';
    const [existing] = await tx<ExistingUser[]>`
      SELECT id, email, status, platform_admin FROM users WHERE lower(email) = lower(${request.email}) FOR UPDATE`;

    let result: PlatformAdminResult;
    if (!existing) {
      const [created] = await tx<{ id: string }[]>`
        INSERT INTO users (email, name, password_hash, status, platform_admin)
        VALUES (${request.email}, ${request.name}, ${request.passwordHash}, 'active', true)
        RETURNING id`;
      await audit({
        action: 'user.create',
        targetType: 'user',
        targetId: created!.id,
        organizationId: null,
        after: { email: request.email, name: request.name, status: 'active', platformAdmin: true, passwordSetup },
      });
      result = { userId: created!.id, outcome: 'created', reactivated: false, setPasswordToken: null };
    } else {
      const promote = !existing.platform_admin;
      const reactivate = existing.status !== 'active';
      announce(describeExisting(existing, promote, reactivate, request.passwordHash !== null));
      await tx`
        UPDATE users SET platform_admin = true, status = 'active', password_hash = coalesce(${request.passwordHash}, password_hash), updated_at = now()
        WHERE id = ${existing.id}`;
      if (request.passwordHash !== null) {
        await endUserSessions({ tx, permissionsChanged }, existing.id);
        await voidPasswordLinks(tx, existing.id);
      } else if (promote || reactivate) {
        await permissionsChanged(existing.id);
      }
      await audit({
        action: 'user.update',
        targetType: 'user',
        targetId: existing.id,
        organizationId: null,
        before: { status: existing.status, platformAdmin: existing.platform_admin },
        after: { status: 'active', platformAdmin: true, passwordSetup },
      });
      result = { userId: existing.id, outcome: promote ? 'promoted' : 'unchanged', reactivated: reactivate, setPasswordToken: null };
    }

    if (request.passwordHash === null) {
      result.setPasswordToken = await createPasswordToken(tx, result.userId, 'invite', new Date(Date.now() + ADMIN_LINK_TTL_MS));
    }
    return result;
  });
}

function describeExisting(user: ExistingUser, promote: boolean, reactivate: boolean, settingPassword: boolean): string {
  const subject = `user ${user.email} (${user.id}) already exists`;
  if (promote && reactivate) return `${subject} and is disabled; reactivating it and promoting it to platform admin`;
  if (promote) return `${subject}; promoting it to platform admin`;
  if (reactivate) return `${subject} as a disabled platform admin; reactivating it`;
  return `${subject} as an active platform admin; ${settingPassword ? 'setting its password' : 'issuing a new set-password link'}`;
}
