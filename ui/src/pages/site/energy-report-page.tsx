import type { EnergyReport, PeriodQuery } from '@simtestlab/sync';
import { A, useSearchParams } from '@solidjs/router';
import { createMemo, Show } from 'solid-js';
import { describeError } from '../../api/api-error';
import { useApp } from '../../app/app-context';
import { ComparisonTable } from '../../components/energy/comparison-table';
import { CostTable } from '../../components/energy/cost-table';
import { createEnergyReport } from '../../components/energy/create-energy-report';
import { sameQuery } from '../../components/energy/energy-report-loader';
import { dstNote, formatLocalDateTime, periodTitle } from '../../components/energy/energy-labels';
import { monthQuery, parseMonth, todayIn } from '../../components/energy/energy-period';
import { EnergyTileGrid } from '../../components/energy/energy-tile-grid';
import { energyTiles } from '../../components/energy/energy-tiles';
import { EnergyWarnings } from '../../components/energy/energy-warnings';
import { HierarchyTable } from '../../components/energy/hierarchy-table';
import { IndicatorsSection } from '../../components/energy/indicators-section';
import { MeterTable } from '../../components/energy/meter-table';
import { VirtualMeterTable } from '../../components/energy/virtual-meter-table';
import { useSite } from '../../site/site-context';
import { siteTimeZone } from '../../site/site-time-zone';
import { createCanExport } from './energy-export';
import './energy-page.css';
import './energy-report-page.css';

/**
 * Renders the printable monthly energy report of the site for operators and above: totals compared
 * with the previous month, cost with the demand charge, peak and indicators, and the breakdown tables.
 * Printed, it gives A4 pages without navigation, one section per page, black on white.
 */
export function EnergyReportPage() {
  const app = useApp();
  const site = useSite();
  const [params, setParams] = useSearchParams<{ month?: string }>();
  const canExport = createCanExport();
  const timeZone = createMemo(() => siteTimeZone(site.summary));
  const month = createMemo(() => {
    const zone = timeZone();
    return parseMonth(params.month) ?? (zone === null ? null : todayIn(zone, Date.now()).slice(0, 7));
  });
  // Viewers load nothing: the server would reject them, and the page explains why instead.
  const query = createMemo<PeriodQuery | null>(() => {
    const chosen = month();
    return chosen !== null && canExport() ? monthQuery(chosen) : null;
  });
  const { state, reload } = createEnergyReport((period) => site.api.energyReport(period), query);
  // The report on screen is of another month while the chosen one loads or after its load failed.
  const current = () => sameQuery(state().reportQuery, query());

  return (
    <section class="energy-report-page" data-testid="energy-report-page">
      <header class="page-header no-print">
        <div>
          <h1>Monthly energy report</h1>
          <p class="page-subtitle">
            <A href={site.path('/energy')}>Back to the energy page</A>
          </p>
        </div>
        <Show when={canExport()}>
          <div class="inline-fields">
            <div class="field">
              <label for="energy-report-month">Month</label>
              <input
                id="energy-report-month"
                type="month"
                value={month() ?? ''}
                onChange={(event) => {
                  const chosen = parseMonth(event.currentTarget.value);
                  if (chosen) setParams({ month: chosen });
                }}
                data-testid="energy-report-month"
              />
            </div>
            <button type="button" class="btn-primary" onClick={() => window.print()} disabled={!current()} data-testid="energy-print">
              Print / save as PDF
            </button>
          </div>
        </Show>
      </header>

      <Show when={app.viewer.state !== 'pending' && app.viewer.state !== 'unresolved'} fallback={<p class="muted">Loading your permissions…</p>}>
        <Show
          when={canExport()}
          fallback={
            <div class="card empty" data-testid="energy-report-forbidden">
              Monthly reports are for operators and above. Your role at this site lets you see the energy page; ask a site manager for the operator role to print reports.
            </div>
          }
        >
          <Show when={state().error}>
            <div class="alert alert-error no-print" role="alert" data-testid="energy-report-error">
              The report could not be loaded: {describeError(state().error)}{' '}
              <button type="button" class="btn-small" onClick={reload}>
                Try again
              </button>
            </div>
          </Show>
          <Show when={state().loading}>
            <p class="muted no-print" role="status">
              Loading the report…
            </p>
          </Show>
          <Show when={(current() || state().loading) && state().report}>
            {(shown) => (
              <div classList={{ 'energy-stale': !current() }}>
                <PrintableReport report={shown()} />
              </div>
            )}
          </Show>
        </Show>
      </Show>
    </section>
  );
}

/** Renders the report itself, one section per printed page. */
function PrintableReport(props: { report: EnergyReport }) {
  const period = () => props.report.period;
  const title = () => periodTitle({ period: period().kind, date: period().from, from: period().from, to: period().to });
  return (
    <article class="energy-report" aria-labelledby="energy-report-title" data-testid="energy-report">
      <section class="energy-report-section" aria-labelledby="energy-report-title">
        <p class="energy-report-kicker">Monthly energy report</p>
        <h2 id="energy-report-title" class="energy-report-title" data-testid="energy-report-title">
          {props.report.siteName}: {title()}
        </h2>
        <p class="muted">
          {period().from} to {period().to}, times in {props.report.timeZone}. Created {formatLocalDateTime(Date.now(), props.report.timeZone)}.
        </p>
        <Show when={dstNote(period())}>{(note) => <p class="muted">{note()}</p>}</Show>
        <EnergyWarnings report={props.report} />
        <h3>Totals</h3>
        <EnergyTileGrid tiles={energyTiles(props.report)} />
        <h3>Comparison with the previous month</h3>
        <ComparisonTable report={props.report} />
      </section>
      <section class="energy-report-section" aria-labelledby="energy-report-cost">
        <h2 id="energy-report-cost">Cost</h2>
        <CostTable report={props.report} />
      </section>
      <section class="energy-report-section" aria-labelledby="energy-report-indicators">
        <h2 id="energy-report-indicators">Peak demand and indicators</h2>
        <IndicatorsSection report={props.report} />
      </section>
      <section class="energy-report-section" aria-labelledby="energy-report-meters">
        <h2 id="energy-report-meters">Breakdown by meter</h2>
        <MeterTable report={props.report} />
      </section>
      <section class="energy-report-section" aria-labelledby="energy-report-hierarchy">
        <h2 id="energy-report-hierarchy">Hierarchy</h2>
        <HierarchyTable hierarchy={props.report.hierarchy} />
        <h3>Virtual meters</h3>
        <VirtualMeterTable meters={props.report.virtualMeters} />
      </section>
    </article>
  );
}
