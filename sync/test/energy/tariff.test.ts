import { describe, expect, it } from 'vitest';
import { demandCharge, energyCost, peakDemand, priceAt, tariffSchema, type EnergyBucket, type Tariff } from '../../src/index';

const MINUTE_MS = 60_000;
const QUARTER_MS = 15 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;
const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const WORKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

const utc = (iso: string): number => Date.parse(iso);

/** Consecutive buckets of equal length and equal import from `start` until `end`. */
function evenBuckets(start: number, end: number, lengthMs: number, importWh: number): EnergyBucket[] {
  const buckets: EnergyBucket[] = [];
  for (let bucketStart = start; bucketStart < end; bucketStart += lengthMs) {
    buckets.push({ start: bucketStart, end: bucketStart + lengthMs, importWh, exportWh: 0 });
  }
  return buckets;
}

function issueMessages(input: unknown): string[] {
  const result = tariffSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

const flatTariff: Tariff = tariffSchema.parse({
  currency: 'EUR',
  timeZone: 'Europe/Paris',
  import: { kind: 'flat', pricePerKwh: 0.3 },
  export: { pricePerKwh: 0.08 },
});

/** Peak on working days from 07:00 to 22:00 all year, Paris time. */
const workdayPeakTariff: Tariff = tariffSchema.parse({
  currency: 'EUR',
  timeZone: 'Europe/Paris',
  import: {
    kind: 'time-of-use',
    seasons: [{ name: 'all year', from: '01-01', to: '12-31', periods: [{ name: 'peak', days: WORKDAYS, from: '07:00', to: '22:00', pricePerKwh: 0.4 }] }],
    defaultPricePerKwh: 0.2,
  },
});

describe('flat tariff', () => {
  it('prices import and credits export', () => {
    const cost = energyCost(flatTariff, [{ start: utc('2026-01-14T10:00:00Z'), end: utc('2026-01-14T10:15:00Z'), importWh: 1000, exportWh: 500 }]);

    expect(cost.currency).toBe('EUR');
    expect(cost.buckets[0]!.importCost).toBeCloseTo(0.3, 12);
    expect(cost.buckets[0]!.exportCredit).toBeCloseTo(0.04, 12);
    expect(cost.buckets[0]!.net).toBeCloseTo(0.26, 12);
    expect(cost.totals.net).toBeCloseTo(0.26, 12);
  });

  it('prices every instant alike', () => {
    expect(priceAt(flatTariff, utc('2026-07-04T03:00:00Z'))).toBe(0.3);
  });

  it('credits no export without feed-in price', () => {
    const tariff = tariffSchema.parse({ currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh: 0.3 } });
    const cost = energyCost(tariff, [{ start: 0, end: QUARTER_MS, importWh: 0, exportWh: 2000 }]);

    expect(cost.buckets[0]!.exportCredit).toBe(0);
    expect(cost.buckets[0]!.net).toBe(0);
  });
});

describe('time-of-use tariff', () => {
  it('splits a bucket across a price change', () => {
    // 06:55–07:10 Paris time on Wednesday 2026-01-14 (UTC+1): 5 minutes at 0.20, 10 minutes at 0.40.
    const bucket = { start: utc('2026-01-14T05:55:00Z'), end: utc('2026-01-14T06:10:00Z'), importWh: 1500, exportWh: 0 };
    const cost = energyCost(workdayPeakTariff, [bucket]);

    // 0.5 kWh × 0.20 + 1.0 kWh × 0.40
    expect(cost.buckets[0]!.importCost).toBeCloseTo(0.1 + 0.4, 12);
    expect(cost.totals.importCost).toBeCloseTo(0.5, 12);
  });

  it('prices weekdays and weekends apart', () => {
    expect(priceAt(workdayPeakTariff, utc('2026-01-16T11:00:00Z'))).toBe(0.4);
    expect(priceAt(workdayPeakTariff, utc('2026-01-17T11:00:00Z'))).toBe(0.2);
    expect(priceAt(workdayPeakTariff, utc('2026-01-18T11:00:00Z'))).toBe(0.2);
    expect(priceAt(workdayPeakTariff, utc('2026-01-19T11:00:00Z'))).toBe(0.4);
  });

  it('ends a period before its end time', () => {
    expect(priceAt(workdayPeakTariff, utc('2026-01-14T20:59:59Z'))).toBe(0.4);
    expect(priceAt(workdayPeakTariff, utc('2026-01-14T21:00:00Z'))).toBe(0.2);
  });

  it('applies a season that wraps the year end', () => {
    const tariff = tariffSchema.parse({
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      import: {
        kind: 'time-of-use',
        seasons: [
          { name: 'winter', from: '11-01', to: '02-28', periods: [{ name: 'winter day', days: ALL_DAYS, from: '06:00', to: '24:00', pricePerKwh: 0.5 }] },
          { name: 'summer', from: '03-01', to: '10-31', periods: [{ name: 'summer day', days: ALL_DAYS, from: '06:00', to: '24:00', pricePerKwh: 0.25 }] },
        ],
        defaultPricePerKwh: 0.15,
      },
    });

    expect(priceAt(tariff, utc('2026-12-31T22:59:00Z'))).toBe(0.5);
    expect(priceAt(tariff, utc('2026-12-31T23:00:00Z'))).toBe(0.15);
    expect(priceAt(tariff, utc('2027-01-15T11:00:00Z'))).toBe(0.5);
    expect(priceAt(tariff, utc('2027-02-28T11:00:00Z'))).toBe(0.5);
    expect(priceAt(tariff, utc('2027-03-01T11:00:00Z'))).toBe(0.25);
    expect(priceAt(tariff, utc('2026-10-31T11:00:00Z'))).toBe(0.25);
    expect(priceAt(tariff, utc('2026-11-01T11:00:00Z'))).toBe(0.5);
  });

  it('follows Paris wall time on 23-hour day', () => {
    // On 2026-03-29 Paris clocks jump from 02:00 to 03:00, so the 02:30 edge never occurs.
    const tariff = tariffSchema.parse({
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      import: {
        kind: 'time-of-use',
        seasons: [
          {
            name: 'all year',
            from: '01-01',
            to: '12-31',
            periods: [
              { name: 'night', days: ALL_DAYS, from: '00:00', to: '02:30', pricePerKwh: 0.1 },
              { name: 'day', days: ALL_DAYS, from: '07:10', to: '22:00', pricePerKwh: 0.3 },
            ],
          },
        ],
        defaultPricePerKwh: 0.2,
      },
    });
    const dayStart = utc('2026-03-28T23:00:00Z');
    const dayEnd = utc('2026-03-29T22:00:00Z');
    const buckets = evenBuckets(dayStart, dayEnd, QUARTER_MS, 1000);

    expect(priceAt(tariff, utc('2026-03-29T00:59:59Z'))).toBe(0.1);
    expect(priceAt(tariff, utc('2026-03-29T01:00:00Z'))).toBe(0.2);
    expect(priceAt(tariff, utc('2026-03-29T05:09:59Z'))).toBe(0.2);
    expect(priceAt(tariff, utc('2026-03-29T05:10:00Z'))).toBe(0.3);

    const cost = energyCost(tariff, buckets);

    expect(cost.buckets).toHaveLength(92);
    // The 07:00–07:15 bucket is 10 minutes at 0.20 and 5 minutes at 0.30.
    expect(cost.buckets.find((bucket) => bucket.start === utc('2026-03-29T05:00:00Z'))!.importCost).toBeCloseTo((2 / 3) * 0.2 + (1 / 3) * 0.3, 12);
    // 4 kWh per hour: 00:00–02:00 night, 03:00–07:10 default, 07:10–22:00 day, 22:00–24:00 default.
    const expected = 4 * (2 * 0.1 + (25 / 6) * 0.2 + (89 / 6) * 0.3 + 2 * 0.2);
    expect(cost.totals.importCost).toBeCloseTo(expected, 9);
    expect(cost.buckets.reduce((sum, bucket) => sum + bucket.importCost, 0)).toBeCloseTo(expected, 9);
  });

  it('follows Los Angeles wall time on 25-hour day', () => {
    // On 2026-11-01 Los Angeles clocks go back from 02:00 PDT to 01:00 PST, so 01:00–02:00 occurs twice.
    const tariff = tariffSchema.parse({
      currency: 'USD',
      timeZone: 'America/Los_Angeles',
      import: {
        kind: 'time-of-use',
        seasons: [
          {
            name: 'all year',
            from: '01-01',
            to: '12-31',
            periods: [
              { name: 'night', days: ALL_DAYS, from: '00:00', to: '01:30', pricePerKwh: 0.1 },
              { name: 'evening', days: ALL_DAYS, from: '16:00', to: '21:00', pricePerKwh: 0.4 },
            ],
          },
        ],
        defaultPricePerKwh: 0.2,
      },
    });
    const dayStart = utc('2026-11-01T07:00:00Z');
    const dayEnd = utc('2026-11-02T08:00:00Z');
    const buckets = evenBuckets(dayStart, dayEnd, HOUR_MS, 4000);

    expect(priceAt(tariff, utc('2026-11-01T08:15:00Z'))).toBe(0.1);
    expect(priceAt(tariff, utc('2026-11-01T08:45:00Z'))).toBe(0.2);
    expect(priceAt(tariff, utc('2026-11-01T09:15:00Z'))).toBe(0.1);
    expect(priceAt(tariff, utc('2026-11-01T09:45:00Z'))).toBe(0.2);
    expect(priceAt(tariff, utc('2026-11-02T00:00:00Z'))).toBe(0.4);

    const cost = energyCost(tariff, buckets);

    expect(cost.buckets).toHaveLength(25);
    // Both 01:00–02:00 hours are half night, half default.
    expect(cost.buckets[1]!.importCost).toBeCloseTo(2 * 0.1 + 2 * 0.2, 12);
    expect(cost.buckets[2]!.importCost).toBeCloseTo(2 * 0.1 + 2 * 0.2, 12);
    // 4 kWh per hour: 2 h at night price, 5 h evening, the other 18 h default.
    const expected = 4 * (2 * 0.1 + 5 * 0.4 + 18 * 0.2);
    expect(cost.totals.importCost).toBeCloseTo(expected, 9);
    expect(cost.buckets.reduce((sum, bucket) => sum + bucket.importCost, 0)).toBeCloseTo(expected, 9);
  });

  it('splits a bucket that spans the clock change', () => {
    // 01:30 PDT to 01:30 PST is one hour: 30 minutes default, then 30 minutes night after the clocks go back.
    const tariff = tariffSchema.parse({
      currency: 'USD',
      timeZone: 'America/Los_Angeles',
      import: {
        kind: 'time-of-use',
        seasons: [{ name: 'all year', from: '01-01', to: '12-31', periods: [{ name: 'night', days: ALL_DAYS, from: '00:00', to: '01:30', pricePerKwh: 0.1 }] }],
        defaultPricePerKwh: 0.2,
      },
    });
    const cost = energyCost(tariff, [{ start: utc('2026-11-01T08:30:00Z'), end: utc('2026-11-01T09:30:00Z'), importWh: 1000, exportWh: 0 }]);

    expect(cost.buckets[0]!.importCost).toBeCloseTo(0.5 * 0.2 + 0.5 * 0.1, 12);
  });

  it('credits feed-in on a time-of-use tariff', () => {
    const tariff = tariffSchema.parse({ ...workdayPeakTariff, export: { pricePerKwh: 0.06 } });
    const cost = energyCost(tariff, [
      { start: utc('2026-01-14T11:00:00Z'), end: utc('2026-01-14T11:15:00Z'), importWh: 0, exportWh: 2500 },
      { start: utc('2026-01-14T11:15:00Z'), end: utc('2026-01-14T11:30:00Z'), importWh: 500, exportWh: 500 },
    ]);

    expect(cost.buckets[0]!.net).toBeCloseTo(-0.15, 12);
    expect(cost.buckets[1]!.net).toBeCloseTo(0.2 - 0.03, 12);
    expect(cost.totals.exportCredit).toBeCloseTo(0.18, 12);
    expect(cost.totals.net).toBeCloseTo(0.2 - 0.18, 12);
  });

  it('rejects bucket ending before start', () => {
    expect(() => energyCost(flatTariff, [{ start: 1000, end: 1000, importWh: 1, exportWh: 0 }])).toThrow('bucket ending at 1000 does not end after its start 1000');
  });
});

describe('demand peak', () => {
  const periodStart = utc('2026-01-01T00:00:00Z');
  const period = { start: periodStart, end: utc('2026-02-01T00:00:00Z') };
  const demandTariff = tariffSchema.parse({ ...flatTariff, demand: { pricePerKw: 12.5, intervalMinutes: 15 } });

  it('finds highest quarter from energy', () => {
    const buckets = [500, 1250, 2000, 750, 2000].map((importWh, i) => ({ start: periodStart + i * QUARTER_MS, end: periodStart + (i + 1) * QUARTER_MS, importWh }));
    const peak = peakDemand(buckets, period);

    expect(peak).toEqual({ start: utc('2026-01-01T00:30:00Z'), end: utc('2026-01-01T00:45:00Z'), powerKw: 8 });
    expect(demandCharge(demandTariff, peak)).toBe(100);
  });

  it('finds highest quarter from power', () => {
    const buckets = [3000, 9500, 4000].map((importPowerW, i) => ({ start: periodStart + i * QUARTER_MS, end: periodStart + (i + 1) * QUARTER_MS, importPowerW }));

    expect(peakDemand(buckets, period)).toEqual({ start: utc('2026-01-01T00:15:00Z'), end: utc('2026-01-01T00:30:00Z'), powerKw: 9.5 });
  });

  it('ignores buckets outside the period', () => {
    const before = { start: periodStart - QUARTER_MS, end: periodStart, importWh: 9000 };
    const inside = { start: periodStart, end: periodStart + QUARTER_MS, importWh: 1000 };

    expect(peakDemand([before, inside], period)).toEqual({ start: periodStart, end: periodStart + QUARTER_MS, powerKw: 4 });
    expect(peakDemand([before], period)).toBeNull();
  });

  it('charges nothing without demand price', () => {
    expect(demandCharge(flatTariff, { start: periodStart, end: periodStart + QUARTER_MS, powerKw: 8 })).toBe(0);
    expect(demandCharge(demandTariff, null)).toBe(0);
  });

  it('rejects buckets not 15 minutes long', () => {
    expect(() => peakDemand([{ start: periodStart, end: periodStart + HOUR_MS, importWh: 1000 }], period)).toThrow(
      'demand bucket starting at 2026-01-01T00:00:00.000Z lasts 3600000 ms: demand needs 15-minute buckets (900000 ms)',
    );
  });
});

describe('tariff validation', () => {
  const timeOfUseTariff = (seasons: unknown[]): unknown => ({ currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'time-of-use', seasons, defaultPricePerKwh: 0.2 } });
  const season = (periods: unknown[], from = '01-01', to = '12-31', name = 'all year'): unknown => ({ name, from, to, periods });

  it('rejects overlapping periods on a weekday', () => {
    const periods = [
      { name: 'peak', days: WORKDAYS, from: '07:00', to: '22:00', pricePerKwh: 0.4 },
      { name: 'evening', days: ['fri', 'sat'], from: '21:00', to: '23:00', pricePerKwh: 0.5 },
    ];

    expect(issueMessages(timeOfUseTariff([season(periods)]))).toEqual(['periods "peak" and "evening" of season "all year" overlap on fri: make their hours on that day disjoint']);
  });

  it('accepts touching periods', () => {
    const periods = [
      { name: 'peak', days: WORKDAYS, from: '07:00', to: '22:00', pricePerKwh: 0.4 },
      { name: 'late', days: WORKDAYS, from: '22:00', to: '24:00', pricePerKwh: 0.3 },
    ];

    expect(issueMessages(timeOfUseTariff([season(periods)]))).toEqual([]);
  });

  it('rejects malformed times', () => {
    const periods = (from: string, to: string): unknown[] => [{ name: 'peak', days: WORKDAYS, from, to, pricePerKwh: 0.4 }];

    expect(issueMessages(timeOfUseTariff([season(periods('7:00', '22:00'))]))).toEqual(['invalid time "7:00": expected HH:MM from 00:00 to 24:00']);
    expect(issueMessages(timeOfUseTariff([season(periods('07:00', '24:30'))]))).toEqual(['invalid time "24:30": expected HH:MM from 00:00 to 24:00']);
    expect(issueMessages(timeOfUseTariff([season(periods('07:60', '22:00'))]))).toEqual(['invalid time "07:60": expected HH:MM from 00:00 to 24:00']);
  });

  it('rejects period crossing midnight', () => {
    const periods = [{ name: 'night', days: ALL_DAYS, from: '22:00', to: '06:00', pricePerKwh: 0.1 }];

    expect(issueMessages(timeOfUseTariff([season(periods)]))).toEqual(['period "night" ends at 06:00, not after its start 22:00: split a period that crosses midnight into two']);
  });

  it('rejects malformed season dates', () => {
    expect(issueMessages(timeOfUseTariff([season([], '13-01')]))).toEqual(['invalid month-day "13-01": expected MM-DD, for example 03-31']);
    expect(issueMessages(timeOfUseTariff([season([], '01-01', '02-30')]))).toEqual(['invalid month-day "02-30": expected MM-DD, for example 03-31']);
  });

  it('rejects overlapping seasons', () => {
    const seasons = [season([], '11-01', '03-31', 'winter'), season([], '03-01', '10-31', 'summer')];

    expect(issueMessages(timeOfUseTariff(seasons))).toEqual(['seasons "winter" and "summer" both cover 03-01: make their date ranges disjoint']);
  });

  it('rejects bad currency and zone', () => {
    expect(issueMessages({ currency: 'eur', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh: 0.3 } })).toEqual([
      'invalid currency "eur": expected an ISO 4217 code such as EUR',
    ]);
    expect(issueMessages({ currency: 'EUR', timeZone: 'Europe/Pariss', import: { kind: 'flat', pricePerKwh: 0.3 } })).toEqual([
      'unknown time zone "Europe/Pariss": expected an IANA name such as Europe/Paris',
    ]);
  });
});

describe('tariff prices', () => {
  const flat = (pricePerKwh: unknown) => ({ currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh } });
  const issuesOf = (input: unknown): string[] => {
    const result = tariffSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('accepts negative energy prices', () => {
    const tariff = tariffSchema.parse({ ...flat(-0.05), export: { pricePerKwh: -0.02 } });
    const cost = energyCost(tariff, [{ start: 0, end: 3_600_000, importWh: 2000, exportWh: 1000 }]);

    expect(cost.totals.importCost).toBeCloseTo(-0.1, 12);
    expect(cost.totals.exportCredit).toBeCloseTo(-0.02, 12);
    expect(cost.totals.net).toBeCloseTo(-0.08, 12);
  });

  it.each([
    [flat(1000.5), 'import.pricePerKwh: price per kWh 1000.5 is out of range: enter a price from -1000 to 1000 per kWh (negative prices are allowed)'],
    [flat(-2000), 'import.pricePerKwh: price per kWh -2000 is out of range: enter a price from -1000 to 1000 per kWh (negative prices are allowed)'],
    [flat('0.2'), 'import.pricePerKwh: invalid price per kWh "0.2": expected a finite number'],
    [{ ...flat(0.2), demand: { pricePerKw: -1, intervalMinutes: 15 } }, 'demand.pricePerKw: demand price per kW -1 is out of range: enter a price from 0 to 1000 per kW'],
    [{ ...flat(0.2), demand: { pricePerKw: 10, intervalMinutes: 30 } }, 'demand.intervalMinutes: demand interval must be 15 minutes (got 30): demand charges bill the highest 15-minute average import power'],
  ])('rejects %j', (input, message) => {
    expect(issuesOf(input)).toEqual([message]);
  });
});
