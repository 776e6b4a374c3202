import { useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createResource, createSignal, onCleanup, Show } from 'solid-js';
import { describeError } from '../../api/api-error';
import { useCloud } from '../../app/app-context';
import '../../components/admin/admin.css';
import { createOrganizationChoice, OrganizationPicker } from '../../components/admin/organization-choice';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { saveBlob } from '../site/csv-export';
import { downloadOrganizationEnergyCsv, loadOrganizationEnergy, type OrganizationPeriod } from './organization-energy-api';
import { siteRow, totalsRow, type SortOrder } from './organization-energy-rows';
import { OrganizationEnergyTable } from './organization-energy-table';
import { checkOrganizationPeriod, localDateOf } from './period-date';
import { PeriodPicker } from './period-picker';
import './organization-energy.css';

/**
 * Renders the energy of every site of one organization over a day, week, month or year, for org admins
 * and platform admins. The organization and the period live in the query (`org`, `period`, `date`), so a
 * link or the back button returns to the same view. An invalid parameter is replaced by the value shown,
 * with a notice that names it.
 */
export function OrganizationEnergyPage() {
  const cloud = useCloud();
  const organization = createOrganizationChoice();
  const [params, setParams] = useSearchParams<{ period?: string; date?: string; org?: string }>();
  const [order, setOrder] = createSignal<SortOrder>({ key: 'name', direction: 'ascending' });
  const [linkNotice, setLinkNotice] = createSignal<string | null>(null);

  const checked = createMemo(() => checkOrganizationPeriod(params, localDateOf(Date.now())));
  const period = createMemo<OrganizationPeriod>(() => checked().period);
  // An `org` the user does not administer is known to be wrong only once the organizations loaded.
  const unknownOrganization = createMemo(() => {
    const requested = params.org;
    if (requested === undefined || organization.organizations.state !== 'ready') return null;
    return organization.selectedId() === requested ? null : requested;
  });

  createEffect(() => {
    const problems = [...checked().problems];
    const badOrganization = unknownOrganization();
    if (badOrganization !== null) problems.push(`unknown organization "${badOrganization}"`);
    if (problems.length === 0) return;
    const corrected = period();
    setLinkNotice(`The link had an ${problems.join(' and an ')}, so the page shows the ${corrected.kind} of ${corrected.date}${badOrganization === null ? '' : ' in your first organization'} instead.`);
    const organizationParam = badOrganization === null ? {} : { org: organization.selectedId() ?? undefined };
    setParams({ period: corrected.kind, date: corrected.date, ...organizationParam }, { replace: true });
  });

  const choosePeriod = (next: OrganizationPeriod) => {
    setLinkNotice(null);
    setParams({ period: next.kind, date: next.date });
  };

  // The resource keeps only the response to the latest organization and period, so a slow earlier response cannot replace it.
  const [energy] = createResource(
    () => {
      const organizationId = organization.selectedId();
      return organizationId ? { organizationId, ...period() } : null;
    },
    (source) => loadOrganizationEnergy(cloud, source.organizationId, { kind: source.kind, date: source.date }),
  );

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Organization energy</h1>
          <p class="page-subtitle">Consumption, production, cost and indicators of every site; each site's period follows its own time zone.</p>
        </div>
      </div>
      <Show when={linkNotice()}>
        {(notice) => (
          <div class="alert alert-warning" role="status" data-testid="organization-energy-link-notice">
            {notice()}
          </div>
        )}
      </Show>
      <ResourceView resource={organization.organizations} what="organizations">
        {() => (
          <Show when={organization.selectedId()} fallback={<EmptyState>You administer no organization.</EmptyState>}>
            <div class="admin-toolbar energy-toolbar">
              <OrganizationPicker choice={organization} />
              <PeriodPicker period={period()} onChange={choosePeriod} />
              <CsvButton organizationId={organization.selectedId()!} period={period()} />
            </div>
            <section class="card" aria-labelledby="energy-sites-heading">
              <div class="card-header">
                <h2 id="energy-sites-heading">Sites of {organization.selected()?.name}</h2>
              </div>
              <ResourceView resource={energy} what="energy">
                {(view) => (
                  <Show when={view()} keyed>
                    {(current) => (
                      <Show when={current.sites.length > 0} fallback={<EmptyState>The organization has no sites yet.</EmptyState>}>
                        <OrganizationEnergyTable
                          rows={current.sites.map(siteRow)}
                          totals={totalsRow(current, `${organization.selected()?.name ?? 'Organization'} total`)}
                          currency={current.currency}
                          order={order()}
                          onSort={setOrder}
                        />
                      </Show>
                    )}
                  </Show>
                )}
              </ResourceView>
            </section>
          </Show>
        )}
      </ResourceView>
    </>
  );
}

/** Downloads the view as CSV, one request per click; a new click or leaving the page cancels the running one. */
function CsvButton(props: { organizationId: string; period: OrganizationPeriod }) {
  const cloud = useCloud();
  const [running, setRunning] = createSignal(false);
  const [outcome, setOutcome] = createSignal<{ kind: 'success' | 'error'; text: string } | null>(null);
  let controller: AbortController | undefined;
  onCleanup(() => controller?.abort());

  const download = async () => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    setRunning(true);
    setOutcome(null);
    try {
      const { blob, fileName } = await downloadOrganizationEnergyCsv(cloud, props.organizationId, props.period, current.signal);
      if (controller !== current) return;
      saveBlob(blob, fileName);
      setOutcome({ kind: 'success', text: `Saved ${fileName}.` });
    } catch (error) {
      if (controller === current) setOutcome({ kind: 'error', text: `Export failed: ${describeError(error)}` });
    } finally {
      if (controller === current) setRunning(false);
    }
  };

  return (
    <div class="energy-csv">
      <button type="button" class="btn-small" disabled={running()} onClick={() => void download()} data-testid="organization-energy-csv">
        {running() ? 'Downloading…' : 'Download CSV'}
      </button>
      <Show when={outcome()}>
        {(shown) => (
          <p class={shown().kind === 'error' ? 'alert alert-error' : 'muted'} role={shown().kind === 'error' ? 'alert' : 'status'}>
            {shown().text}
          </p>
        )}
      </Show>
    </div>
  );
}
