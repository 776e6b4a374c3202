import type { Resolution } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { createLatestGuard, latestOnly } from '../../src/api/latest';
import { createHistoryLoader, type HistoryState } from '../../src/site/history-loader';
import type { PointHistory, TimeRange } from '../../src/site/site-api';

/** A promise the test settles by hand, to control the order in which responses arrive. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

describe('createLatestGuard', () => {
  it('marks only the newest ticket current', () => {
    const guard = createLatestGuard();
    const first = guard.begin();
    const second = guard.begin();

    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });
});

describe('latestOnly', () => {
  it('drops an older response that arrives last', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    const applied: string[] = [];
    const run = latestOnly((index: number) => answers[index]!.promise, (value) => applied.push(value), () => undefined);

    const older = run(0);
    const newer = run(1);
    answers[1]!.resolve('newer');
    await newer;
    answers[0]!.resolve('older');
    await older;

    expect(applied).toEqual(['newer']);
  });

  it('drops an older failure that arrives last', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    const applied: string[] = [];
    const failed: unknown[] = [];
    const run = latestOnly((index: number) => answers[index]!.promise, (value) => applied.push(value), (error) => failed.push(error));

    const older = run(0);
    const newer = run(1);
    answers[1]!.resolve('newer');
    await newer;
    answers[0]!.reject(new Error('older request timed out'));
    await older;

    expect(applied).toEqual(['newer']);
    expect(failed).toEqual([]);
  });

  it('reports the failure of the newest call', async () => {
    const failed: unknown[] = [];
    const run = latestOnly(() => Promise.reject(new Error('offline')), () => undefined, (error) => failed.push(error));

    await run();

    expect(failed).toHaveLength(1);
  });
});

describe('history view', () => {
  const DAY: TimeRange = { from: Date.UTC(2026, 11, 4), to: Date.UTC(2026, 11, 5) };
  const HOUR: TimeRange = { from: Date.UTC(2026, 11, 5, 10), to: Date.UTC(2026, 11, 5, 11) };

  function historyOf(point: string, resolution: Resolution, value: number): PointHistory {
    return { point, resolution, truncated: false, rows: [{ ts: Date.UTC(2026, 11, 5, 10), value, min: value, max: value, delta: null, quality: null }] };
  }

  it('keeps the newer range when the older response arrives last', async () => {
    const pending = new Map<number, ReturnType<typeof deferred<PointHistory>>>();
    const api = {
      history: (_point: string, range: TimeRange) => {
        const answer = deferred<PointHistory>();
        pending.set(range.from, answer);
        return answer.promise;
      },
    };
    const reportedStates: HistoryState[] = [];
    const loader = createHistoryLoader(api, (state) => reportedStates.push(state));

    const slowDay = loader.load({ points: ['grid-meter.W'], range: DAY, resolution: '1m' });
    const fastHour = loader.load({ points: ['grid-meter.W'], range: HOUR, resolution: 'raw' });
    pending.get(HOUR.from)!.resolve(historyOf('grid-meter.W', 'raw', 2));
    await fastHour;
    pending.get(DAY.from)!.resolve(historyOf('grid-meter.W', '1m', 1));
    await slowDay;

    const final = loader.state();
    expect(final.loading).toBe(false);
    expect(final.result?.request.range).toEqual(HOUR);
    expect(final.result?.histories[0]?.rows[0]?.value).toBe(2);
    expect(reportedStates.some((state) => state.result?.request.range === DAY)).toBe(false);
  });

  it('stays loading until the newest request resolves', async () => {
    const answers = [deferred<PointHistory>(), deferred<PointHistory>()];
    let call = 0;
    const loader = createHistoryLoader({ history: () => answers[call++]!.promise }, () => undefined);

    const older = loader.load({ points: ['pv.W'], range: DAY, resolution: '1m' });
    const newer = loader.load({ points: ['pv.W'], range: HOUR, resolution: 'raw' });
    answers[0]!.resolve(historyOf('pv.W', '1m', 1));
    await older;

    expect(loader.state().loading).toBe(true);
    expect(loader.state().result).toBeNull();

    answers[1]!.resolve(historyOf('pv.W', 'raw', 2));
    await newer;

    expect(loader.state().loading).toBe(false);
    expect(loader.state().result?.request.range).toEqual(HOUR);
  });

  it('keeps the points that loaded when another fails', async () => {
    const loader = createHistoryLoader(
      {
        history: (point) => (point === 'missing.W' ? Promise.reject(new Error('point missing.W not found')) : Promise.resolve(historyOf(point, '1m', 3))),
      },
      () => undefined,
    );

    await loader.load({ points: ['pv.W', 'missing.W'], range: DAY, resolution: '1m' });

    expect(loader.state().result?.histories.map((history) => history.point)).toEqual(['pv.W']);
    expect(loader.state().result?.failures.map((failure) => failure.point)).toEqual(['missing.W']);
  });
});
