import type { EnergyReport, PeriodQuery } from '@simtestlab/sync';
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, Show } from 'solid-js';
import { describeError } from '../../api/api-error';
import { CostTable } from '../../components/energy/cost-table';
import { createEnergyReport } from '../../components/energy/create-energy-report';
import { dstNote, periodTitle, ROLE_SETTING_PLACES, ROLES_TO_ASSIGN } from '../../components/energy/energy-labels';
import { checkPeriodParams, monthOfQuery, paramsOfQuery, startsAfter, todayIn, type PeriodParams } from '../../components/energy/energy-period';
import { sameQuery } from '../../components/energy/energy-report-loader';
import { EnergySection } from '../../components/energy/energy-section';
import { EnergyTileGrid } from '../../components/energy/energy-tile-grid';
import { energyTiles } from '../../components/energy/energy-tiles';
import { EnergyWarnings } from '../../components/energy/energy-warnings';
import { FlowChart } from '../../components/energy/flow-chart';
import { HierarchyTable } from '../../components/energy/hierarchy-table';
import { IndicatorsSection } from '../../components/energy/indicators-section';
import { MeterTable } from '../../components/energy/meter-table';
import { PeriodPicker } from '../../components/energy/period-picker';
import { VirtualMeterTable } from '../../components/energy/virtual-meter-table';
import { useSite } from '../../site/site-context';
import { siteTimeZone } from '../../site/site-time-zone';
import { createCanExport, EnergyCsvExport } from './energy-export';
import './energy-page.css';

/**
 * Energy of the site over a day, week, month, year or custom span: headline tiles compared with the
 * previous period, the flows per bucket, and the breakdown, cost and indicator tables, each with a CSV
 * export for operators and above. The period lives in the URL query, so a view can be bookmarked. An
 * invalid query is replaced by the period shown, with a notice that names the invalid parameter.
 */
export function EnergyPage() {
  const site = useSite();
  const canExport = createCanExport();
  const [params, setParams] = useSearchParams<PeriodParams>();
  const [linkNotice, setLinkNotice] = createSignal<string | null>(null);
  const timeZone = createMemo(() => siteTimeZone(site.summary));
  const today = createMemo(() => {
    const zone = timeZone();
    return zone === null ? null : todayIn(zone, Date.now());
  });
  const checked = createMemo(() => {
    const current = today();
    return current === null ? null : checkPeriodParams(params, current);
  });
  const query = createMemo<PeriodQuery | null>(() => checked()?.query ?? null);
  // A period that starts after today has no data, so it is not requested at all.
  const future = createMemo(() => {
    const current = query();
    const day = today();
    return current !== null && day !== null && startsAfter(current, day);
  });
  const { state, reload } = createEnergyReport(
    (period) => site.api.energyReport(period),
    () => (future() ? null : query()),
  );
  // The report on screen belongs to another period while the next one loads or after its load failed.
  const current = () => sameQuery(state().reportQuery, query());

  createEffect(() => {
    const result = checked();
    if (result === null || result.problems.length === 0) return;
    setLinkNotice(`The link had an ${result.problems.join(' and an ')}, so the page shows ${periodTitle(result.query)} instead.`);
    setParams(paramsOfQuery(result.query), { replace: true });
  });

  const choosePeriod = (next: PeriodQuery) => {
    setLinkNotice(null);
    setParams(paramsOfQuery(next));
  };

  return (
    <section class="energy-page" data-testid="energy-page" aria-busy={state().loading}>
      <header class="page-header">
        <div>
          <h1>Energy</h1>
          <p class="page-subtitle">Consumption, production, cost and indicators of the site, {site.api.mode === 'edge' ? 'from this edge node' : 'from the cloud hub'}.</p>
        </div>
        <div class="energy-header-actions">
          <Show when={site.api.mode === 'cloud'}>
            <A class="btn btn-small" href={`/admin/sites/${site.siteId}/energy`} data-testid="energy-settings-link">
              Tariffs and virtual meters
            </A>
          </Show>
          <Show when={canExport() && query()}>
            {(shown) => (
              <A class="btn btn-small" href={site.path(`/energy/report?month=${monthOfQuery(shown())}`)} data-testid="energy-report-link">
                Monthly report
              </A>
            )}
          </Show>
        </div>
      </header>

      <Show when={linkNotice()}>
        {(notice) => (
          <div class="alert alert-warning" role="status" data-testid="energy-link-notice">
            {notice()}
          </div>
        )}
      </Show>

      <Show when={query() && timeZone() && today()} fallback={<p class="muted">Loading the site's time zone…</p>}>
        <div class="card">
          <PeriodPicker query={query()!} today={today()!} timeZone={timeZone()!} onChange={choosePeriod} />
          <Show when={current() && state().report && dstNote(state().report!.period)}>
            {(note) => (
              <p class="field-hint" data-testid="energy-dst-note">
                {note()}
              </p>
            )}
          </Show>
        </div>
      </Show>

      <Show
        when={!future()}
        fallback={
          <div class="card empty" data-testid="energy-future">
            <p>{periodTitle(query()!)} has not started yet, so there is no data for it.</p>
            <p>Choose a period up to today, {today()}.</p>
          </div>
        }
      >
        <Show when={state().error}>
          <div class="alert alert-error" role="alert" data-testid="energy-error">
            The energy report of {periodTitle(query()!)} could not be loaded: {describeError(state().error)}{' '}
            <button type="button" class="btn-small" onClick={reload}>
              Try again
            </button>
          </div>
        </Show>
        <Show when={state().loading}>
          <p class="muted" role="status" data-testid="energy-loading">
            Loading the energy report…
          </p>
        </Show>

        {/* After a failed load the last report belongs to another period, so it is not shown at all. */}
        <Show when={(current() || state().loading) && state().report}>
          {(shown) => <EnergyReportView report={shown()} query={query()!} stale={!current()} />}
        </Show>
      </Show>
    </section>
  );
}

/**
 * Renders a loaded report, or the empty state of a site without meters. A `stale` report is one of an
 * earlier period kept on screen while the requested one loads. It is dimmed and marked as such for
 * screen readers, and its CSV exports are off, because they would export the requested period.
 */
function EnergyReportView(props: { report: EnergyReport; query: PeriodQuery; stale: boolean }) {
  const site = useSite();
  const hasMeters = () => props.report.meters.some((meter) => meter.role !== null);
  return (
    <div classList={{ 'energy-stale': props.stale }} data-testid="energy-report-view">
      <Show when={props.stale}>
        <p class="visually-hidden">These figures are of the previous selection and stay until the new report loads.</p>
      </Show>
      <EnergyWarnings report={props.report} />
      <Show
        when={hasMeters()}
        fallback={
          <div class="card empty" data-testid="energy-empty">
            <p>This site has no meters with a role, so there is no energy to report.</p>
            <p>Assign the roles {ROLES_TO_ASSIGN} to the power or energy points of the site's meters.</p>
            <p data-testid="energy-empty-where">Set them in {site.api.mode === 'edge' ? ROLE_SETTING_PLACES.edge : ROLE_SETTING_PLACES.cloud}.</p>
          </div>
        }
      >
        <EnergyTileGrid tiles={energyTiles(props.report)} />
        <EnergySection id="energy-flows" title="Energy flows" actions={<EnergyCsvExport table="buckets" query={props.query} disabled={props.stale} title="flows" />} testId="energy-flows">
          <FlowChart report={props.report} />
        </EnergySection>
        <EnergySection id="energy-meters" title="Breakdown by meter" actions={<EnergyCsvExport table="meters" query={props.query} disabled={props.stale} title="meters" />}>
          <MeterTable report={props.report} />
        </EnergySection>
        <EnergySection id="energy-hierarchy" title="Hierarchy" actions={<EnergyCsvExport table="hierarchy" query={props.query} disabled={props.stale} title="hierarchy" />}>
          <HierarchyTable hierarchy={props.report.hierarchy} />
        </EnergySection>
        <EnergySection id="energy-virtual" title="Virtual meters" actions={<EnergyCsvExport table="virtual-meters" query={props.query} disabled={props.stale} title="virtual meters" />}>
          <VirtualMeterTable meters={props.report.virtualMeters} />
        </EnergySection>
        <EnergySection id="energy-cost" title="Cost" actions={<EnergyCsvExport table="cost" query={props.query} disabled={props.stale} title="cost" />}>
          <CostTable report={props.report} />
        </EnergySection>
        <EnergySection
          id="energy-indicators"
          title="Indicators"
          actions={
            <>
              <EnergyCsvExport table="indicators" query={props.query} disabled={props.stale} title="indicators" />
              <EnergyCsvExport table="load-profile" query={props.query} disabled={props.stale} title="load profile" />
            </>
          }
        >
          <IndicatorsSection report={props.report} />
        </EnergySection>
      </Show>
    </div>
  );
}
