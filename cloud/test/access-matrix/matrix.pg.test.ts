import type { Action } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

/*
 * The permission matrix checked cell by cell over HTTP. Every expected value below is written out by
 * hand, so a change to the matrix in sync/src/access/permissions.ts fails this file until the table
 * here is changed with it. A denied request returns 403 when the caller can see the resource and 404
 * when they cannot.
 */

/** The callers: one per role at the site, a developer with no memberships, and a member without site access. */
const principals = ['viewer', 'operator', 'site_manager', 'org_admin', 'platform_admin', 'developer', 'member'] as const;
type Principal = (typeof principals)[number];

/** A viewer at both sites who also has the developer flag, because the developer flag alone opens no site. */
type SitePrincipal = Principal | 'developer_viewer';

const labels: Record<SitePrincipal, string> = {
  viewer: 'viewer',
  operator: 'operator',
  site_manager: 'site manager',
  org_admin: 'org admin',
  platform_admin: 'platform admin',
  developer: 'developer',
  member: 'member without site access',
  developer_viewer: 'developer viewer',
};

const emails: Record<SitePrincipal, string> = {
  viewer: 'viewer@acme.test',
  operator: 'operator@acme.test',
  site_manager: 'site_manager@acme.test',
  org_admin: 'org_admin@acme.test',
  platform_admin: 'platform_admin@platform.test',
  developer: 'developer@dev.test',
  member: 'member@acme.test',
  developer_viewer: 'developer_viewer@acme.test',
};

let fixture: CloudFixture;
let seed: Seed;
let organizationId: string;
let otherOrganizationId: string;
/** A site with operatorControl off, which the route checks use. */
let siteId: string;
/** A site with operatorControl on, granted to the same users with the same roles. */
let controlSiteId: string;
let foreignSiteId: string;
const userIds = {} as Record<SitePrincipal, string>;
const tokens = {} as Record<SitePrincipal, string>;
let counter = 0;

beforeAll(async () => {
  fixture = await createCloudFixture('access_matrix');
  seed = new Seed(fixture);
  organizationId = await seed.organization('Acme');
  otherOrganizationId = await seed.organization('Other');
  siteId = await seed.site(organizationId, 'Plant A', { operatorControl: false });
  controlSiteId = await seed.site(organizationId, 'Plant B', { operatorControl: true });
  foreignSiteId = await seed.site(otherOrganizationId, 'Foreign plant');

  for (const role of ['viewer', 'operator', 'site_manager'] as const) {
    userIds[role] = await seed.user(emails[role]);
    await seed.membership(userIds[role], organizationId);
    await seed.siteAccess(userIds[role], siteId, role);
    await seed.siteAccess(userIds[role], controlSiteId, role);
  }
  userIds.org_admin = await seed.user(emails.org_admin);
  await seed.membership(userIds.org_admin, organizationId, 'org_admin');
  userIds.platform_admin = await seed.user(emails.platform_admin, { platformAdmin: true });
  userIds.developer = await seed.user(emails.developer, { developer: true });
  userIds.member = await seed.user(emails.member);
  await seed.membership(userIds.member, organizationId);
  userIds.developer_viewer = await seed.user(emails.developer_viewer, { developer: true });
  await seed.membership(userIds.developer_viewer, organizationId);
  await seed.siteAccess(userIds.developer_viewer, siteId, 'viewer');
  await seed.siteAccess(userIds.developer_viewer, controlSiteId, 'viewer');

  // All memberships and grants exist before the first request, so no cached permissions go stale.
  for (const principal of Object.keys(emails) as SitePrincipal[]) tokens[principal] = await login(fixture.app, emails[principal]);
});

afterAll(async () => {
  await fixture?.close();
});

/** Counts the audit entries a user wrote. */
async function auditEntriesBy(userId: string): Promise<number> {
  const [row] = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx<{ count: number }[]>`
    SELECT count(*)::int AS count FROM audit_log WHERE actor_id = ${userId}`);
  return row!.count;
}

/** Seeds a member of Acme without site access, as the target of one grant. */
async function freshMember(): Promise<string> {
  counter += 1;
  const userId = await seed.user(`grantee${counter}@acme.test`);
  await seed.membership(userId, organizationId);
  return userId;
}

/** Seeds a user of no organization, to be added to one. */
async function freshUserEmail(): Promise<string> {
  counter += 1;
  const email = `joiner${counter}@elsewhere.test`;
  await seed.user(email);
  return email;
}

function mqttDevice() {
  counter += 1;
  return { key: `meter-${counter}`, driver: 'mqtt', points: [{ key: 'power', topic: 'meter/power', unit: 'W' }] };
}

type Request = [method: string, path: string, body?: unknown];

interface RouteCase {
  action: Action;
  /** What the request does, completing "<principal> may …". */
  route: string;
  /** Whether an allowed request changes data and so writes exactly one audit entry. */
  change: boolean;
  request: () => Promise<Request>;
  /** Status for viewer, operator, site manager, org admin, platform admin, developer, member without site access. */
  expected: [number, number, number, number, number, number, number];
}

/*
 * Each action mapped to the routes that enforce it. The cloud has no route of its own yet for
 * report.export, alarm.acknowledge, device.control and test_data.manage. The site permissions route
 * further down checks those cells instead.
 */
const routeCases: RouteCase[] = [
  { action: 'dashboard.view', route: 'read the site', change: false, request: async () => ['GET', `/api/sites/${siteId}`], expected: [200, 200, 200, 200, 200, 404, 404] },
  { action: 'dashboard.view', route: "list the site's devices", change: false, request: async () => ['GET', `/api/sites/${siteId}/devices`], expected: [200, 200, 200, 200, 200, 404, 404] },
  { action: 'dashboard.view', route: "list the site's nodes", change: false, request: async () => ['GET', `/api/sites/${siteId}/nodes`], expected: [200, 200, 200, 200, 200, 404, 404] },

  { action: 'site.manage', route: 'change the site', change: true, request: async () => ['PATCH', `/api/sites/${siteId}`, { address: `Street ${++counter}` }], expected: [403, 403, 200, 200, 200, 404, 404] },
  { action: 'site.manage', route: 'add a building', change: true, request: async () => ['POST', `/api/sites/${siteId}/nodes`, { kind: 'building', name: 'Hall' }], expected: [403, 403, 201, 201, 201, 404, 404] },
  { action: 'site.manage', route: 'add a device', change: true, request: async () => ['POST', `/api/sites/${siteId}/devices`, { device: mqttDevice() }], expected: [403, 403, 201, 201, 201, 404, 404] },
  { action: 'site.manage', route: 'register an edge node', change: true, request: async () => ['POST', `/api/sites/${siteId}/edge-nodes`, { name: 'Gateway' }], expected: [403, 403, 201, 201, 201, 404, 404] },
  { action: 'site.manage', route: "list the site's edge nodes", change: false, request: async () => ['GET', `/api/sites/${siteId}/edge-nodes`], expected: [403, 403, 200, 200, 200, 404, 404] },

  { action: 'site_user.manage', route: 'grant a member viewer access', change: true, request: async () => ['PUT', `/api/sites/${siteId}/access/${await freshMember()}`, { role: 'viewer' }], expected: [403, 403, 200, 200, 200, 404, 404] },
  { action: 'site_user.manage', route: "list the site's access grants", change: false, request: async () => ['GET', `/api/sites/${siteId}/access`], expected: [403, 403, 200, 200, 200, 404, 404] },

  { action: 'organization.manage', route: 'create a site in the organization', change: true, request: async () => ['POST', `/api/organizations/${organizationId}/sites`, { name: 'New plant', timeZone: 'UTC' }], expected: [403, 403, 403, 201, 201, 404, 403] },
  { action: 'organization.manage', route: 'rename the organization', change: true, request: async () => ['PATCH', `/api/organizations/${organizationId}`, { name: `Acme ${++counter}` }], expected: [403, 403, 403, 200, 200, 404, 403] },

  { action: 'org_user.manage', route: 'add a user to the organization', change: true, request: async () => ['POST', `/api/organizations/${organizationId}/members`, { email: await freshUserEmail(), role: 'member' }], expected: [403, 403, 403, 201, 201, 404, 403] },
  { action: 'org_user.manage', route: 'list users', change: false, request: async () => ['GET', '/api/users'], expected: [403, 403, 403, 200, 200, 403, 403] },

  { action: 'organization.cross_access', route: "read another organization's site", change: false, request: async () => ['GET', `/api/sites/${foreignSiteId}`], expected: [404, 404, 404, 404, 200, 404, 404] },
  { action: 'organization.cross_access', route: 'read another organization', change: false, request: async () => ['GET', `/api/organizations/${otherOrganizationId}`], expected: [404, 404, 404, 404, 200, 404, 404] },

  // The web app serves the admin pages, and the cloud allows their functions, such as creating organizations, to
  // platform admins only. It checks organization.cross_access there, which has the same minimum role.
  { action: 'admin_pages.view', route: 'create an organization', change: true, request: async () => ['POST', '/api/organizations', { name: `Org ${++counter}` }], expected: [403, 403, 403, 403, 201, 403, 403] },
  { action: 'admin_pages.view', route: "read another organization's site", change: false, request: async () => ['GET', `/api/sites/${foreignSiteId}`], expected: [404, 404, 404, 404, 200, 404, 404] },

  // The fixture serves the documentation to developers only (apiDocsAccess 'developers').
  { action: 'api_docs.view', route: 'read the OpenAPI document', change: false, request: async () => ['GET', '/api/openapi.json'], expected: [403, 403, 403, 403, 200, 200, 403] },
];

const routeRows = routeCases.flatMap((routeCase) =>
  principals.map((principal, column) => {
    const status = routeCase.expected[column]!;
    const allowed = status < 300;
    return { ...routeCase, principal, status, allowed, name: `${labels[principal]} ${allowed ? 'may' : 'may not'} ${routeCase.route}: ${status}` };
  }),
);

const routeActions = [...new Set(routeCases.map((routeCase) => routeCase.action))];

describe.each(routeActions)('%s over its routes', (action) => {
  for (const { name, principal, status, allowed, change, request } of routeRows.filter((row) => row.action === action)) {
    it(name, async () => {
      const before = await auditEntriesBy(userIds[principal]);
      const [method, path, body] = await request();

      const response = await call(fixture.app, tokens[principal], method, path, body);

      expect(response.status, JSON.stringify(response.body)).toBe(status);
      if (!allowed) expect(response.body.error.code).toBe(status === 403 ? 'forbidden' : 'not_found');
      expect(await auditEntriesBy(userIds[principal])).toBe(before + (allowed && change ? 1 : 0));
    });
  }
});

/*
 * The site permissions route lists the actions the caller's effective role allows at one site. These
 * lists restate the whole matrix in matrix order, for a site with operatorControl off and on.
 */
const siteActions: Record<SitePrincipal, { off: Action[] | 404; on: Action[] | 404 }> = {
  viewer: { off: ['dashboard.view'], on: ['dashboard.view'] },
  operator: {
    off: ['dashboard.view', 'report.export', 'alarm.acknowledge'],
    on: ['dashboard.view', 'report.export', 'alarm.acknowledge', 'device.control'],
  },
  site_manager: {
    off: ['dashboard.view', 'report.export', 'alarm.acknowledge', 'device.control', 'site.manage', 'site_user.manage'],
    on: ['dashboard.view', 'report.export', 'alarm.acknowledge', 'device.control', 'site.manage', 'site_user.manage'],
  },
  org_admin: {
    off: ['dashboard.view', 'report.export', 'alarm.acknowledge', 'device.control', 'site.manage', 'site_user.manage', 'organization.manage', 'org_user.manage'],
    on: ['dashboard.view', 'report.export', 'alarm.acknowledge', 'device.control', 'site.manage', 'site_user.manage', 'organization.manage', 'org_user.manage'],
  },
  platform_admin: {
    off: [
      'dashboard.view', 'report.export', 'alarm.acknowledge', 'device.control', 'site.manage', 'site_user.manage',
      'organization.manage', 'org_user.manage', 'organization.cross_access', 'admin_pages.view', 'api_docs.view', 'test_data.manage',
    ],
    on: [
      'dashboard.view', 'report.export', 'alarm.acknowledge', 'device.control', 'site.manage', 'site_user.manage',
      'organization.manage', 'org_user.manage', 'organization.cross_access', 'admin_pages.view', 'api_docs.view', 'test_data.manage',
    ],
  },
  developer_viewer: {
    off: ['dashboard.view', 'api_docs.view', 'test_data.manage'],
    on: ['dashboard.view', 'api_docs.view', 'test_data.manage'],
  },
  developer: { off: 404, on: 404 },
  member: { off: 404, on: 404 },
};

const sitePrincipals = Object.keys(siteActions) as SitePrincipal[];

const listRows = sitePrincipals.flatMap((principal) =>
  (['off', 'on'] as const).map((operatorControl) => ({
    principal,
    operatorControl,
    expected: siteActions[principal][operatorControl],
    name: `${labels[principal]} at a site with operatorControl ${operatorControl}`,
  })),
);

describe('site permissions list', () => {
  for (const { name, principal, operatorControl, expected } of listRows) {
    it(name, async () => {
      const site = operatorControl === 'on' ? controlSiteId : siteId;

      const { status, body } = await call(fixture.app, tokens[principal], 'GET', `/api/sites/${site}/permissions`);

      if (expected === 404) {
        expect(status).toBe(404);
        expect(body.error.code).toBe('not_found');
        return;
      }
      expect(status).toBe(200);
      expect(body.siteId).toBe(site);
      expect(body.actions).toEqual(expected);
    });
  }
});

/** Actions without a cloud route of their own, with the phrase that completes "<principal> may …". */
const unroutedActions: Partial<Record<Action, string>> = {
  'report.export': 'export reports',
  'alarm.acknowledge': 'acknowledge alarms',
  'device.control': 'control devices',
  'test_data.manage': 'manage test data',
};

type Cell = 'allowed' | 'denied' | 'not found';

/*
 * The four actions cell by cell, in the column order viewer, operator, site manager, org admin,
 * platform admin, developer, member without site access, developer viewer. Only device.control depends
 * on operatorControl. Developer and member open no site, so their cells are "not found".
 */
const unroutedCells: Record<string, { off: Cell[]; on: Cell[] }> = {
  'report.export': {
    off: ['denied', 'allowed', 'allowed', 'allowed', 'allowed', 'not found', 'not found', 'denied'],
    on: ['denied', 'allowed', 'allowed', 'allowed', 'allowed', 'not found', 'not found', 'denied'],
  },
  'alarm.acknowledge': {
    off: ['denied', 'allowed', 'allowed', 'allowed', 'allowed', 'not found', 'not found', 'denied'],
    on: ['denied', 'allowed', 'allowed', 'allowed', 'allowed', 'not found', 'not found', 'denied'],
  },
  'device.control': {
    off: ['denied', 'denied', 'allowed', 'allowed', 'allowed', 'not found', 'not found', 'denied'],
    on: ['denied', 'allowed', 'allowed', 'allowed', 'allowed', 'not found', 'not found', 'denied'],
  },
  'test_data.manage': {
    off: ['denied', 'denied', 'denied', 'denied', 'allowed', 'not found', 'not found', 'allowed'],
    on: ['denied', 'denied', 'denied', 'denied', 'allowed', 'not found', 'not found', 'allowed'],
  },
};

const cellColumns: SitePrincipal[] = ['viewer', 'operator', 'site_manager', 'org_admin', 'platform_admin', 'developer', 'member', 'developer_viewer'];

const cellRows = (Object.keys(unroutedCells) as Action[]).flatMap((action) =>
  (['off', 'on'] as const).flatMap((operatorControl) =>
    cellColumns.map((principal, column) => {
      const cell = unroutedCells[action]![operatorControl][column]!;
      const verb = cell === 'allowed' ? 'may' : 'may not';
      return {
        action,
        principal,
        operatorControl,
        cell,
        name: `${labels[principal]} ${verb} ${unroutedActions[action]} with operatorControl ${operatorControl}: ${cell}`,
      };
    }),
  ),
);

describe.each(Object.keys(unroutedActions))('%s through the site permissions', (action) => {
  for (const { name, principal, operatorControl, cell } of cellRows.filter((row) => row.action === action)) {
    it(name, async () => {
      const site = operatorControl === 'on' ? controlSiteId : siteId;

      const { status, body } = await call(fixture.app, tokens[principal], 'GET', `/api/sites/${site}/permissions`);

      if (cell === 'not found') {
        expect(status).toBe(404);
        return;
      }
      expect(status).toBe(200);
      expect(body.actions.includes(action)).toBe(cell === 'allowed');
    });
  }
});
