import type { ControlResult, ControlWriteBody } from '@simtestlab/sync';
import type { AuditActor } from '../audit/audit-log';
import { writeAudit } from '../audit/audit-log';
import type { Sql } from '../db/connect';
import { inTenantScope, type TenantScope } from '../db/scope';

/** A control command as the hub audits it: who asked, where, what, and what came of it. */
export interface ControlAuditRecord {
  actor: AuditActor;
  scope: TenantScope;
  organizationId: string;
  siteId: string;
  point: string;
  requestId: string;
  /** The write's body, or null for a release. */
  write: ControlWriteBody | null;
  result: ControlResult;
}

/**
 * Appends the hub's audit entry of a control command (`point.control` for a write, `point.release`),
 * whether the edge ran it or it was refused. `before` contains the value the edge read before the
 * command, when the edge returned one. `after` contains the request, the result code and message, and
 * on success the value written, the value read back and the lease.
 */
export async function auditControlCommand(sql: Sql, record: ControlAuditRecord): Promise<void> {
  const { result, write } = record;
  const after = {
    requestId: record.requestId,
    ...(write === null ? {} : { requested: write.value, ...(write.leaseS === undefined ? {} : { leaseS: write.leaseS }) }),
    result: result.ok ? 'ok' : result.code,
    message: result.ok ? describeSuccess(result) : result.message,
    ...(result.ok
      ? { value: result.value, readBack: result.readBack, leaseExpiresAt: result.lease?.expiresAt ?? null, ...(result.auditId === undefined ? {} : { edgeAuditId: result.auditId }) }
      : {}),
    ...(!result.ok && result.limit !== undefined ? { limit: result.limit } : {}),
  };
  await inTenantScope(sql, record.scope, (tx) =>
    writeAudit(tx, record.actor, {
      action: write === null ? 'point.release' : 'point.control',
      targetType: 'point',
      targetId: record.point,
      organizationId: record.organizationId,
      siteId: record.siteId,
      before: result.ok ? { value: result.previousValue } : null,
      after,
    }),
  );
}

function describeSuccess(result: Extract<ControlResult, { ok: true }>): string {
  const written = result.value === null ? 'released the point' : `wrote ${JSON.stringify(result.value)}`;
  const confirmed = result.readBack === null ? '' : `, read back ${JSON.stringify(result.readBack)}`;
  return `the edge ${written}${confirmed}`;
}
