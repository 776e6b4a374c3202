import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useApp, useCloud } from '../../app/app-context';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import '../../components/admin/admin.css';
import { formatDateTime } from '../../format/time';
import { AuditEntryDetails } from './audit-entry-details';
import { AuditExport, type AuditFilters } from './audit-export';

type AuditEntry = components['schemas']['AuditEntry'];

/** Actions the hub writes, offered as suggestions; the field also takes a prefix followed by `*`. */
const knownActions = [
  'auth.password_reset_requested',
  'device.*',
  'edge_node.*',
  'membership.*',
  'organization.*',
  'point.*',
  'site.*',
  'site_access.*',
  'site_node.*',
  'user.*',
  'user.invite',
  'user.password_reset',
  'user.update',
  'webhook.*',
];

const targetTypes = ['alarm', 'alarm_rule', 'device', 'edge_node', 'membership', 'organization', 'point', 'site', 'site_node', 'user', 'webhook'];

const pageSizes = [50, 100, 200, 500];

/** The filter form's fields as typed; empty strings mean no filter. */
interface FilterForm {
  organizationId: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
}

const emptyForm: FilterForm = { organizationId: '', actorId: '', action: '', targetType: '', targetId: '', from: '', to: '' };

/** Turns the form into query filters; a datetime-local value is the browser's local time. */
function toFilters(form: FilterForm): AuditFilters {
  const filters: AuditFilters = {};
  if (form.organizationId) filters.organizationId = form.organizationId;
  if (form.actorId.trim()) filters.actorId = form.actorId.trim();
  if (form.action.trim()) filters.action = form.action.trim();
  if (form.targetType) filters.targetType = form.targetType;
  if (form.targetId.trim()) filters.targetId = form.targetId.trim();
  if (form.from) filters.from = new Date(form.from).toISOString();
  if (form.to) filters.to = new Date(form.to).toISOString();
  return filters;
}

/**
 * Renders the audit log: filters, pages of entries newest first, the details of each entry (with the password
 * reset links the hub writes here because it sends no email) and the CSV export.
 */
export function AuditPage() {
  const app = useApp();
  const cloud = useCloud();
  const [form, setForm] = createSignal<FilterForm>(emptyForm);
  const [applied, setApplied] = createSignal<AuditFilters>({});
  const [limit, setLimit] = createSignal(100);
  /** Cursors of the pages before the current one, and the current page's cursor (undefined for the newest page). */
  const [cursors, setCursors] = createSignal<(string | undefined)[]>([undefined]);
  const [expanded, setExpanded] = createSignal<string | null>(null);

  const [organizations] = createResource(async () => (await unwrap(cloud.GET('/api/organizations'))).organizations);
  // Names for the actor column and suggestions for the actor filter; without the right to list users the ids show instead.
  const [users] = createResource(async () => (await unwrap(cloud.GET('/api/users'))).users);
  const organizationNames = createMemo(() => new Map((organizations.state === 'ready' ? organizations() : []).map((organization) => [organization.id, organization.name])));
  const userEmails = createMemo(() => new Map((users.state === 'ready' ? users() : []).map((user) => [user.id, user.email])));
  const filterOrganizations = createMemo(() => {
    const all = organizations.state === 'ready' ? organizations() : [];
    return app.viewer()?.platformAdmin ? all : all.filter((organization) => organization.role === 'org_admin');
  });

  const cursor = () => cursors()[cursors().length - 1];
  // createResource drops the response of a request that newer filters or another page replaced.
  const [page] = createResource(
    () => ({ filters: applied(), limit: limit(), cursor: cursor() }),
    async ({ filters, limit: pageSize, cursor: pageCursor }) =>
      unwrap(cloud.GET('/api/audit', { params: { query: { ...filters, limit: pageSize, ...(pageCursor ? { cursor: pageCursor } : {}) } } })),
  );

  const update = (field: keyof FilterForm, value: string) => setForm({ ...form(), [field]: value });
  const apply = (event: SubmitEvent) => {
    event.preventDefault();
    setApplied(toFilters(form()));
    setCursors([undefined]);
    setExpanded(null);
  };
  const reset = () => {
    setForm(emptyForm);
    setApplied({});
    setCursors([undefined]);
  };
  const older = (nextCursor: string) => {
    setCursors([...cursors(), nextCursor]);
    setExpanded(null);
  };
  const newer = () => {
    setCursors(cursors().slice(0, -1));
    setExpanded(null);
  };

  const actorLabel = (entry: AuditEntry) => {
    if (entry.actorType === 'system') return 'System';
    if (entry.actorId === null) return entry.actorType === 'user' ? 'Anonymous user' : entry.actorType;
    if (entry.actorType === 'edge') return `Edge node ${entry.actorId}`;
    return userEmails().get(entry.actorId) ?? entry.actorId;
  };
  const targetLabel = (entry: AuditEntry) => {
    if (entry.targetId === null) return entry.targetType;
    if (entry.targetType === 'user') return `user ${userEmails().get(entry.targetId) ?? entry.targetId}`;
    if (entry.targetType === 'organization') return `organization ${organizationNames().get(entry.targetId) ?? entry.targetId}`;
    return `${entry.targetType} ${entry.targetId}`;
  };

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Audit log</h1>
          <p class="page-subtitle">Every change made on this hub and by its edge nodes, newest first.</p>
        </div>
      </div>
      <section class="card" aria-labelledby="audit-filters-heading">
        <h2 id="audit-filters-heading" class="visually-hidden">
          Filters
        </h2>
        <form onSubmit={apply} data-testid="audit-filters" class="admin-filter-rows">
          <div class="inline-fields">
            <div class="field">
              <label for="audit-organization">Organization</label>
              <select id="audit-organization" onChange={(event) => update('organizationId', event.currentTarget.value)} data-testid="audit-organization">
                <option value="" selected={form().organizationId === ''}>
                  All I may see
                </option>
                <For each={filterOrganizations()}>
                  {(organization) => (
                    <option value={organization.id} selected={organization.id === form().organizationId}>
                      {organization.name}
                    </option>
                  )}
                </For>
              </select>
            </div>
            <div class="field">
              <label for="audit-actor">Actor</label>
              <input id="audit-actor" list="audit-actors" placeholder="User id, edge node id or cli" value={form().actorId} onInput={(event) => update('actorId', event.currentTarget.value)} />
              <datalist id="audit-actors">
                <For each={users.state === 'ready' ? users() : []}>{(user) => <option value={user.id}>{user.email}</option>}</For>
              </datalist>
            </div>
            <div class="field">
              <label for="audit-action">Action</label>
              <input id="audit-action" list="audit-actions" placeholder="site.update or site.*" value={form().action} onInput={(event) => update('action', event.currentTarget.value)} data-testid="audit-action" />
              <datalist id="audit-actions">
                <For each={knownActions}>{(action) => <option value={action} />}</For>
              </datalist>
            </div>
            <div class="field">
              <label for="audit-target-type">Target type</label>
              <select id="audit-target-type" onChange={(event) => update('targetType', event.currentTarget.value)}>
                <option value="" selected={form().targetType === ''}>
                  Any
                </option>
                <For each={targetTypes}>
                  {(type) => (
                    <option value={type} selected={type === form().targetType}>
                      {type}
                    </option>
                  )}
                </For>
              </select>
            </div>
            <div class="field">
              <label for="audit-target-id">Target id</label>
              <input id="audit-target-id" value={form().targetId} onInput={(event) => update('targetId', event.currentTarget.value)} />
            </div>
          </div>
          <div class="inline-fields">
            <div class="field">
              <label for="audit-from">From (your local time)</label>
              <input id="audit-from" type="datetime-local" value={form().from} onInput={(event) => update('from', event.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="audit-to">Until (your local time)</label>
              <input id="audit-to" type="datetime-local" value={form().to} onInput={(event) => update('to', event.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="audit-limit">Entries per page</label>
              <select
                id="audit-limit"
                onChange={(event) => {
                  setLimit(Number(event.currentTarget.value));
                  setCursors([undefined]);
                }}
              >
                <For each={pageSizes}>
                  {(size) => (
                    <option value={size} selected={size === limit()}>
                      {size}
                    </option>
                  )}
                </For>
              </select>
            </div>
            <div class="button-row">
              <button type="submit" class="btn-primary" data-testid="audit-apply">
                Apply filters
              </button>
              <button type="button" onClick={reset}>
                Clear
              </button>
            </div>
          </div>
        </form>
        <div class="admin-filter-export">
          <p class="field-hint">The export contains every entry that matches the applied filters, up to 100000, newest first.</p>
          <AuditExport filters={applied} />
        </div>
      </section>
      <section class="card" aria-labelledby="audit-entries-heading">
        <div class="card-header">
          <h2 id="audit-entries-heading">Entries</h2>
          <span class="muted">Page {cursors().length}</span>
        </div>
        <ResourceView resource={page} what="the audit log">
          {(current) => (
            <>
              <Show when={current().entries.length > 0} fallback={<EmptyState>No entries match these filters.</EmptyState>}>
                <div class="table-wrap" aria-busy={page.loading}>
                  <table class="data" data-testid="audit-table">
                    <thead>
                      <tr>
                        <th scope="col">Time</th>
                        <th scope="col">Action</th>
                        <th scope="col">Actor</th>
                        <th scope="col">Target</th>
                        <th scope="col">Organization</th>
                        <th scope="col">
                          <span class="visually-hidden">Details</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={current().entries}>
                        {(entry) => (
                          <>
                            <tr data-testid={`audit-row-${entry.id}`} data-action={entry.action}>
                              <td class="numeric">{formatDateTime(Date.parse(entry.at))}</td>
                              <td class="mono">{entry.action}</td>
                              <td>{actorLabel(entry)}</td>
                              <td>{targetLabel(entry)}</td>
                              <td>{entry.organizationId ? (organizationNames().get(entry.organizationId) ?? entry.organizationId) : '–'}</td>
                              <td>
                                <button
                                  type="button"
                                  class="btn-small"
                                  aria-expanded={expanded() === entry.id}
                                  aria-controls={`audit-details-row-${entry.id}`}
                                  onClick={() => setExpanded(expanded() === entry.id ? null : entry.id)}
                                  data-testid="audit-toggle-details"
                                >
                                  {expanded() === entry.id ? 'Hide details' : 'Details'}
                                </button>
                              </td>
                            </tr>
                            <Show when={expanded() === entry.id}>
                              <tr id={`audit-details-row-${entry.id}`}>
                                <td colSpan={6}>
                                  <AuditEntryDetails entry={entry} />
                                </td>
                              </tr>
                            </Show>
                          </>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>
              <nav class="button-row admin-pager" aria-label="Audit log pages">
                <button type="button" disabled={cursors().length <= 1 || page.loading} onClick={newer} data-testid="audit-newer">
                  Newer entries
                </button>
                <button
                  type="button"
                  disabled={current().nextCursor === null || page.loading}
                  onClick={() => {
                    const next = current().nextCursor;
                    if (next) older(next);
                  }}
                  data-testid="audit-older"
                >
                  Older entries
                </button>
              </nav>
            </>
          )}
        </ResourceView>
      </section>
    </>
  );
}
