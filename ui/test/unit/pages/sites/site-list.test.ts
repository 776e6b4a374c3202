import { describe, expect, it } from 'vitest';
import {
  countByStatus,
  EDGE_CONTACT_TIMEOUT_MS,
  edgeState,
  groupByOrganization,
  hasAlarms,
  matchesSearch,
  matchesStatus,
  parseStatusFilter,
} from '../../../../src/pages/sites/site-list';
import { siteSummary } from './site-summary-fixture';

const nowMs = 1_800_000_000_000;

describe('edgeState', () => {
  it('is online while the live uplink is open', () => {
    expect(edgeState({ connected: true, lastContactAt: null, lastDataAt: null }, nowMs)).toBe('online');
  });

  it('is online after a recent contact without uplink', () => {
    expect(edgeState({ connected: false, lastContactAt: nowMs - EDGE_CONTACT_TIMEOUT_MS, lastDataAt: null }, nowMs)).toBe('online');
  });

  it('is offline after the contact timeout', () => {
    expect(edgeState({ connected: false, lastContactAt: nowMs - EDGE_CONTACT_TIMEOUT_MS - 1, lastDataAt: nowMs }, nowMs)).toBe('offline');
  });

  it('is never for an edge that never made contact', () => {
    expect(edgeState({ connected: false, lastContactAt: null, lastDataAt: null }, nowMs)).toBe('never');
  });
});

describe('hasAlarms', () => {
  it('counts active and unacknowledged alarms', () => {
    expect(hasAlarms(siteSummary({ id: 'a' }))).toBe(false);
    expect(hasAlarms(siteSummary({ id: 'a', activeAlarms: 1 }))).toBe(true);
    expect(hasAlarms(siteSummary({ id: 'a', unacknowledged: 2 }))).toBe(true);
  });
});

describe('matchesSearch', () => {
  const depot = siteSummary({ id: 'a', name: 'Depot North', organizationName: 'Acme Logistics' });

  it('matches every word in site or organization name', () => {
    expect(matchesSearch(depot, 'north acme')).toBe(true);
    expect(matchesSearch(depot, '  DEPOT  ')).toBe(true);
  });

  it('matches everything with an empty search', () => {
    expect(matchesSearch(depot, '')).toBe(true);
  });

  it('rejects a word found nowhere', () => {
    expect(matchesSearch(depot, 'north south')).toBe(false);
  });
});

describe('matchesStatus', () => {
  const online = siteSummary({ id: 'online' });
  const offline = siteSummary({ id: 'offline', edge: { connected: false, lastContactAt: nowMs - 3_600_000 } });
  const never = siteSummary({ id: 'never', edge: { connected: false } });
  const alarmed = siteSummary({ id: 'alarmed', activeAlarms: 2 });

  it('lists offline and never connected sites as offline', () => {
    expect([online, offline, never, alarmed].filter((summary) => matchesStatus(summary, 'offline', nowMs)).map((summary) => summary.site.id)).toEqual(['offline', 'never']);
  });

  it('lists sites with alarms', () => {
    expect([online, offline, alarmed].filter((summary) => matchesStatus(summary, 'alarms', nowMs)).map((summary) => summary.site.id)).toEqual(['alarmed']);
  });

  it('counts each filter', () => {
    expect(countByStatus([online, offline, never, alarmed], nowMs)).toEqual({ all: 4, offline: 2, alarms: 1 });
  });
});

describe('groupByOrganization', () => {
  it('keeps the order of organizations and sites', () => {
    const groups = groupByOrganization([
      siteSummary({ id: 'a1', organizationId: 'org-a', organizationName: 'Alpha' }),
      siteSummary({ id: 'b1', organizationId: 'org-b', organizationName: 'Beta' }),
      siteSummary({ id: 'a2', organizationId: 'org-a', organizationName: 'Alpha' }),
    ]);
    expect(groups.map((group) => [group.id, group.name, group.sites.map((summary) => summary.site.id)])).toEqual([
      ['org-a', 'Alpha', ['a1', 'a2']],
      ['org-b', 'Beta', ['b1']],
    ]);
  });

  it('returns no groups for no sites', () => {
    expect(groupByOrganization([])).toEqual([]);
  });
});

describe('parseStatusFilter', () => {
  it('accepts known filters and defaults to all', () => {
    expect(parseStatusFilter('offline')).toBe('offline');
    expect(parseStatusFilter('alarms')).toBe('alarms');
    expect(parseStatusFilter(undefined)).toBe('all');
    expect(parseStatusFilter('broken')).toBe('all');
  });
});
