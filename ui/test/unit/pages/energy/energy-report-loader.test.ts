import type { EnergyReport, PeriodQuery } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { createEnergyReportLoader, sameQuery, type EnergyReportState } from '../../../../src/components/energy/energy-report-loader';
import { makeReport } from './energy-fixture';

/** A report request whose response the test releases by hand. */
interface PendingLoad {
  query: PeriodQuery;
  resolve(report: EnergyReport): void;
  reject(error: Error): void;
}

function deferredLoader() {
  const pending: PendingLoad[] = [];
  const load = (query: PeriodQuery) => new Promise<EnergyReport>((resolve, reject) => pending.push({ query, resolve, reject }));
  return { pending, load };
}

describe('createEnergyReportLoader', () => {
  it('keeps the newest period when an older answer arrives last', async () => {
    const source = deferredLoader();
    const loader = createEnergyReportLoader(source.load, () => {});

    const first = loader.load({ period: 'day', date: '2026-03-01' });
    const second = loader.load({ period: 'day', date: '2026-03-02' });
    source.pending[1]!.resolve(makeReport({ siteName: 'newer' }));
    await second;
    source.pending[0]!.resolve(makeReport({ siteName: 'older' }));
    await first;

    expect(loader.state().report?.siteName).toBe('newer');
    expect(loader.state().loading).toBe(false);
  });

  it('ignores the error of an older request', async () => {
    const source = deferredLoader();
    const loader = createEnergyReportLoader(source.load, () => {});

    const first = loader.load({ period: 'day', date: '2026-03-01' });
    const second = loader.load({ period: 'day', date: '2026-03-02' });
    source.pending[1]!.resolve(makeReport());
    await second;
    source.pending[0]!.reject(new Error('timed out'));
    await first;

    expect(loader.state().error).toBeNull();
  });

  it('keeps the last report while the next one loads and after it fails', async () => {
    const source = deferredLoader();
    const states: EnergyReportState[] = [];
    const loader = createEnergyReportLoader(source.load, (state) => states.push(state));

    const first = loader.load({ period: 'day', date: '2026-03-01' });
    source.pending[0]!.resolve(makeReport({ siteName: 'shown' }));
    await first;
    const second = loader.load({ period: 'day', date: '2026-03-02' });
    expect(loader.state()).toMatchObject({ loading: true, report: { siteName: 'shown' } });
    source.pending[1]!.reject(new Error('the server cannot be reached'));
    await second;

    expect(loader.state().report?.siteName).toBe('shown');
    expect((loader.state().error as Error).message).toBe('the server cannot be reached');
    expect(states.map((state) => state.loading)).toEqual([true, false, true, false]);
  });

  it('records the period of the kept report', async () => {
    const source = deferredLoader();
    const loader = createEnergyReportLoader(source.load, () => {});
    const displayedQuery: PeriodQuery = { period: 'day', date: '2026-03-01' };

    const first = loader.load(displayedQuery);
    source.pending[0]!.resolve(makeReport());
    await first;
    const second = loader.load({ period: 'day', date: '2026-02-28' });
    source.pending[1]!.reject(new Error('the store is busy'));
    await second;

    // The page compares this with the requested period to hide the report of the day shown before.
    expect(loader.state().reportQuery).toEqual(displayedQuery);
  });
});

describe('sameQuery', () => {
  it('compares periods by value', () => {
    expect(sameQuery({ period: 'month', date: '2026-03-01' }, { period: 'month', date: '2026-03-01' })).toBe(true);
    expect(sameQuery({ period: 'month', date: '2026-03-01' }, { period: 'month', date: '2026-04-01' })).toBe(false);
  });

  it('never matches a missing period', () => {
    expect(sameQuery(null, null)).toBe(false);
    expect(sameQuery(null, { period: 'day', date: '2026-03-01' })).toBe(false);
  });
});
