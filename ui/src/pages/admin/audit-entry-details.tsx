import { Show } from 'solid-js';
import { z } from 'zod';
import type { components } from '../../api/generated/cloud-api';
import { SecretField } from '../../components/admin/copy-button';
import { formatDateTime } from '../../format/time';

type AuditEntry = components['schemas']['AuditEntry'];

/** The reset link the hub stores in `after` of `auth.password_reset_requested`, because it sends no email. */
const resetLinkSchema = z.object({ email: z.string(), setPasswordUrl: z.string(), expiresAt: z.string() });

function formatState(state: unknown): string {
  return state === undefined || state === null ? '–' : JSON.stringify(state, null, 2);
}

/** Renders the full record of one audit entry: the reset link it carries, the state before and after, and the request. */
export function AuditEntryDetails(props: { entry: AuditEntry }) {
  const resetLink = () => {
    if (props.entry.action !== 'auth.password_reset_requested') return null;
    const parsed = resetLinkSchema.safeParse(props.entry.after);
    return parsed.success ? parsed.data : null;
  };

  return (
    <div class="audit-details" data-testid={`audit-details-${props.entry.id}`}>
      <Show when={resetLink()}>
        {(link) => (
          <div class="admin-one-time card">
            <SecretField
              label={`Password reset link for ${link().email}`}
              value={link().setPasswordUrl}
              testId="audit-reset-link"
              hint={`The user asked for a reset and this hub sends no email: pass the link on over a channel you trust. It expires ${formatDateTime(Date.parse(link().expiresAt))}, and a newer link replaces it.`}
            />
          </div>
        )}
      </Show>
      <div class="grid grid-2">
        <div>
          <h3>Before</h3>
          <pre class="admin-json">{formatState(props.entry.before)}</pre>
        </div>
        <div>
          <h3>After</h3>
          <pre class="admin-json">{formatState(props.entry.after)}</pre>
        </div>
      </div>
      <dl class="audit-request">
        <dt>Entry</dt>
        <dd class="mono">{props.entry.id}</dd>
        <dt>Actor</dt>
        <dd class="mono">
          {props.entry.actorType} {props.entry.actorId ?? ''}
        </dd>
        <dt>Target</dt>
        <dd class="mono">
          {props.entry.targetType} {props.entry.targetId ?? ''}
        </dd>
        <dt>Site</dt>
        <dd class="mono">{props.entry.siteId ?? '–'}</dd>
        <dt>IP address</dt>
        <dd class="mono">{props.entry.ip ?? '–'}</dd>
        <dt>User agent</dt>
        <dd>{props.entry.userAgent ?? '–'}</dd>
        <dt>Request id</dt>
        <dd class="mono">{props.entry.requestId ?? '–'}</dd>
      </dl>
    </div>
  );
}
