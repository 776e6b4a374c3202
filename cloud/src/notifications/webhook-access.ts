import type { Caller } from '../access/caller';
import { isUuid, organizationFilter, requireOrganization } from '../access/guards';
import { HttpError, notFound } from '../api/http-error';
import type { TransactionSql } from '../db/connect';
import type { AppDeps } from '../api/env';
import type { WebhookSettings } from './notification-settings';
import { WEBHOOK_COLUMNS, type WebhookRow } from './webhook-rows';
import { webhookUrlProblem } from './webhook-url';

/** Dependencies of the webhook routes: the app's, and the sending settings (defaults: public https only, 10 s). */
export type WebhookRouteDeps = AppDeps & { webhooks?: WebhookSettings };

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { allowPrivate: false, timeoutMs: 10_000 };

/** The action that managing webhooks needs: org admins and platform admins. */
export const WEBHOOK_ACTION = 'organization.manage';

/**
 * Loads a webhook of an organization the caller may manage webhooks of. A webhook of another
 * organization is not found (404), like the organization itself.
 */
export async function requireWebhook(
  tx: TransactionSql,
  caller: Caller,
  organizationId: string,
  webhookId: string,
  options: { lock?: boolean; withSecret?: boolean } = {},
): Promise<WebhookRow & { secret?: string }> {
  requireOrganization(caller, organizationId, WEBHOOK_ACTION);
  if (!isUuid(webhookId)) throw notFound('webhook', webhookId);
  const columns = options.withSecret ? [...WEBHOOK_COLUMNS, 'secret'] : WEBHOOK_COLUMNS;
  const [row] = await tx<(WebhookRow & { secret?: string })[]>`
    SELECT ${tx(columns)} FROM webhooks
    WHERE id = ${webhookId} AND organization_id = ${organizationId} ${organizationFilter(tx, caller, 'organization_id')}
    ${options.lock ? tx`FOR UPDATE` : tx``}`;
  if (!row) throw notFound('webhook', webhookId);
  return row;
}

/** Raises 400 naming the problem when the URL may not be used with these settings. */
export function checkWebhookUrl(url: string, settings: WebhookSettings): void {
  const problem = webhookUrlProblem(url, settings.allowPrivate);
  if (problem !== null) throw new HttpError(400, 'invalid_webhook_url', problem, { parameter: 'url' });
}

/** Raises 400 when a webhook subscribes to escalations without a delay to escalate after. */
export function checkEscalation(events: readonly string[], escalationMinutes: number | null): void {
  if (events.includes('alarm.escalated') && escalationMinutes === null) {
    throw new HttpError(400, 'invalid_request', 'events contains alarm.escalated but escalationMinutes is null; set escalationMinutes or remove the event', {
      parameter: 'escalationMinutes',
    });
  }
}
