import { describe, expect, it } from 'vitest';
import { cloudViewer, edgeViewer, type CloudProfile, type EdgeMe } from '../../../src/app/load-viewer';

const instance = { mode: 'edge' as const, siteId: 'site-1', siteName: 'Depot North', version: '0.1.0', cloud: { paired: true, url: 'http://127.0.0.1:8090' } };

function edgeMe(overrides: Partial<EdgeMe> = {}): EdgeMe {
  return { id: 'local:installer', source: 'local', name: 'installer', role: 'site_manager', developer: false, actions: ['dashboard.view', 'device.control'], operatorControl: false, ...overrides };
}

function profile(overrides: Partial<CloudProfile> = {}): CloudProfile {
  return {
    id: 'user-1',
    email: 'ana@example.com',
    name: 'Ana',
    platformAdmin: false,
    developer: false,
    memberships: [{ organizationId: 'org-1', organizationName: 'Acme', role: 'member' }],
    sites: [
      { id: 'site-1', organizationId: 'org-1', name: 'Depot North', role: 'viewer', actions: ['dashboard.view'] },
      { id: 'site-2', organizationId: 'org-1', name: 'Depot South', role: 'operator', actions: ['dashboard.view', 'report.export', 'alarm.acknowledge', 'device.control'] },
    ],
    allSites: false,
    ...overrides,
  };
}

describe('edgeViewer', () => {
  it('describes the one site of the edge', () => {
    const viewer = edgeViewer(edgeMe(), instance);
    expect(viewer.sites).toEqual([{ id: 'site-1', name: 'Depot North', organizationId: null, role: 'site_manager' }]);
    expect(viewer.source).toBe('local');
    expect(viewer.email).toBeNull();
    expect(viewer.organizations).toEqual([]);
  });

  it('uses the actions the edge sent', () => {
    const viewer = edgeViewer(edgeMe({ role: 'operator', actions: ['dashboard.view', 'device.control'], operatorControl: true }), instance);
    expect(viewer.can('device.control', 'site-1')).toBe(true);
    expect(viewer.can('alarm.acknowledge', 'site-1')).toBe(false);
  });

  it('allows nothing at another site', () => {
    const viewer = edgeViewer(edgeMe(), instance);
    expect(viewer.can('dashboard.view', 'site-2')).toBe(false);
  });

  it('counts only platform admins as administrators', () => {
    expect(edgeViewer(edgeMe({ role: 'org_admin' }), instance).canAdminister).toBe(false);
    expect(edgeViewer(edgeMe({ role: 'platform_admin' }), instance).canAdminister).toBe(true);
    expect(edgeViewer(edgeMe({ role: 'platform_admin' }), instance).platformAdmin).toBe(true);
  });
});

describe('cloudViewer', () => {
  it('maps memberships and sites', () => {
    const viewer = cloudViewer(profile());
    expect(viewer.source).toBe('cloud');
    expect(viewer.email).toBe('ana@example.com');
    expect(viewer.organizations).toEqual([{ id: 'org-1', name: 'Acme', role: 'member' }]);
    expect(viewer.sites.map((site) => [site.id, site.organizationId, site.role])).toEqual([
      ['site-1', 'org-1', 'viewer'],
      ['site-2', 'org-1', 'operator'],
    ]);
  });

  it('uses the actions the hub sent for each site', () => {
    const viewer = cloudViewer(profile());
    expect(viewer.can('dashboard.view', 'site-1')).toBe(true);
    expect(viewer.can('device.control', 'site-1')).toBe(false);
    // The hub allowed control to this operator because the site lets operators control devices.
    expect(viewer.can('device.control', 'site-2')).toBe(true);
  });

  it('denies unlisted sites to users without allSites', () => {
    const viewer = cloudViewer(profile());
    expect(viewer.can('dashboard.view', 'site-9')).toBe(false);
  });

  it('lets platform admins act on unlisted sites', () => {
    const viewer = cloudViewer(profile({ platformAdmin: true, allSites: true, sites: [] }));
    expect(viewer.can('device.control', 'site-9')).toBe(true);
    expect(viewer.can('admin_pages.view', 'site-9')).toBe(true);
  });

  it('gives developers the documentation but no site data', () => {
    const viewer = cloudViewer(profile({ developer: true, sites: [], memberships: [] }));
    expect(viewer.can('api_docs.view', 'site-9')).toBe(true);
    expect(viewer.can('dashboard.view', 'site-9')).toBe(false);
  });

  it('counts platform admins and org admins as administrators', () => {
    expect(cloudViewer(profile()).canAdminister).toBe(false);
    expect(cloudViewer(profile({ platformAdmin: true, allSites: true })).canAdminister).toBe(true);
    expect(cloudViewer(profile({ memberships: [{ organizationId: 'org-2', organizationName: 'Beta', role: 'org_admin' }] })).canAdminister).toBe(true);
  });
});
