import type { SiteEnergySettings, Tariff } from '@simtestlab/sync';

/** A time-of-use tariff with a winter season of two weekday periods, feed-in and a demand charge. */
export const timeOfUseTariff: Tariff = {
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  import: {
    kind: 'time-of-use',
    defaultPricePerKwh: 0.2,
    seasons: [
      {
        name: 'Winter',
        from: '10-01',
        to: '03-31',
        periods: [
          { name: 'Peak', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '21:00', pricePerKwh: 0.35 },
          { name: 'Weekend', days: ['sat', 'sun'], from: '00:00', to: '24:00', pricePerKwh: 0.18 },
        ],
      },
    ],
  },
  export: { pricePerKwh: 0.08 },
  demand: { pricePerKw: 12.5, intervalMinutes: 15 },
};

/** Settings with a flat tariff, a later time-of-use tariff, one virtual meter, an emission factor and a night window. */
export const fullSettings: SiteEnergySettings = {
  tariffs: [
    { validFrom: '2025-01-01', tariff: { currency: 'EUR', timeZone: 'Europe/Berlin', import: { kind: 'flat', pricePerKwh: 0.3 } } },
    { validFrom: '2026-01-01', tariff: timeOfUseTariff },
  ],
  virtualMeters: [{ id: 'house', name: 'House', unit: 'kWh', formula: '{grid-meter.TotWhImp} + {pv.WH} - {grid-meter.TotWhExp}' }],
  gridEmissionFactorGPerKwh: 380,
  nightWindow: { fromHour: 1, toHour: 4 },
};

/** The site's meters as the settings route lists them. */
export const siteMeters = [
  { id: 'grid-meter.TotWhImp', name: 'Grid import', unit: 'Wh', kind: 'energy', role: 'grid-import', nodeId: null },
  { id: 'grid-meter.TotWhExp', name: 'Grid export', unit: 'Wh', kind: 'energy', role: 'grid-export', nodeId: null },
  { id: 'grid-meter.W', name: 'Grid power', unit: 'W', kind: 'power', role: 'grid', nodeId: null },
  { id: 'pv.WH', name: 'PV energy', unit: 'Wh', kind: 'energy', role: 'pv', nodeId: null },
  { id: 'weather.TempC', name: 'Outdoor temperature', unit: 'C', kind: 'measurement', role: null, nodeId: null },
];

export const context = { currency: 'EUR', timeZone: 'Europe/Berlin', meters: siteMeters };
