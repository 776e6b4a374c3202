import type { SiteSummary } from '../../../../src/pages/sites/site-list';

/** Builds a site summary with quiet defaults: online edge, no alarms, no KPIs. */
export function siteSummary(overrides: {
  id: string;
  name?: string;
  organizationId?: string;
  organizationName?: string;
  edge?: Partial<SiteSummary['edge']>;
  activeAlarms?: number;
  unacknowledged?: number;
}): SiteSummary {
  const noValue = { value: null, quality: null };
  return {
    site: {
      id: overrides.id,
      name: overrides.name ?? `Site ${overrides.id}`,
      organizationId: overrides.organizationId ?? 'org-1',
      organizationName: overrides.organizationName ?? 'Acme',
      timeZone: 'Europe/Berlin',
    },
    generatedAt: 1_800_000_000_000,
    dayStart: 1_799_971_200_000,
    kpis: { gridPowerW: noValue, pvPowerW: noValue, consumptionW: noValue, consumptionSource: null, energyToday: { consumedWh: null, pvWh: null, gridImportWh: null } },
    alarms: { active: { critical: overrides.activeAlarms ?? 0, warning: 0, info: 0, total: overrides.activeAlarms ?? 0 }, unacknowledged: overrides.unacknowledged ?? 0 },
    devices: { total: 0, online: 0, offline: 0, unknown: 0, statusAt: null, byDevice: {} },
    edge: { connected: true, lastContactAt: null, lastDataAt: null, ...overrides.edge },
  };
}
