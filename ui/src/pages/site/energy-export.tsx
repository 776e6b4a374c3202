import type { PeriodQuery } from '@simtestlab/sync';
import { Show } from 'solid-js';
import { useApp } from '../../app/app-context';
import { periodDays } from '../../components/energy/energy-period';
import type { EnergyCsvTable } from '../../site/site-api';
import { useSite } from '../../site/site-context';
import { CsvExport } from './csv-export';

/** Returns whether the signed-in user may export reports at the open site (operators and above). */
export function createCanExport(): () => boolean {
  const app = useApp();
  const site = useSite();
  return () => app.viewer()?.can('report.export', site.siteId) ?? false;
}

/** File name of a table's CSV: `energy-meters-2026-03-01-2026-03-31.csv`, or one date for a day. */
export function energyCsvFilename(table: EnergyCsvTable, query: PeriodQuery): string {
  const days = periodDays(query);
  return `energy-${table}-${days.from === days.to ? days.from : `${days.from}-${days.to}`}.csv`;
}

/**
 * Renders the CSV export of one report table for the shown period, only for users who may export. Set
 * `disabled` while the report on screen is of another period.
 */
export function EnergyCsvExport(props: { table: EnergyCsvTable; query: PeriodQuery; title: string; disabled?: boolean }) {
  const site = useSite();
  const canExport = createCanExport();
  return (
    <Show when={canExport()}>
      <CsvExport
        testId={`energy-export-${props.table}`}
        label={`Export ${props.title} CSV`}
        download={(options) => site.api.energyReportCsv(props.query, props.table, options)}
        filename={() => energyCsvFilename(props.table, props.query)}
        disabled={props.disabled}
      />
    </Show>
  );
}
