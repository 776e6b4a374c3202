import { describe, expect, it } from 'vitest';
import {
  actions,
  allowedActions,
  effectiveSiteRole,
  grantableSiteRoles,
  isAllowed,
  roleAtLeast,
  type Action,
  type EffectiveRole,
  type OrganizationRole,
  type SiteRole,
} from '../src/index';

type Role = EffectiveRole | null;

const roles: Role[] = [null, 'viewer', 'operator', 'site_manager', 'org_admin', 'platform_admin'];

/**
 * The matrix for a principal without the developer flag at a site without operator control. Columns
 * follow `roles`: no role, viewer, operator, site manager, org admin, platform admin.
 */
const baseMatrix: Record<Action, string> = {
  //                          none view oper smgr oadm padm
  'dashboard.view':            '-    x    x    x    x    x',
  'report.export':             '-    -    x    x    x    x',
  'alarm.acknowledge':         '-    -    x    x    x    x',
  'device.control':            '-    -    -    x    x    x',
  'site.manage':               '-    -    -    x    x    x',
  'site_user.manage':          '-    -    -    x    x    x',
  'organization.manage':       '-    -    -    -    x    x',
  'org_user.manage':           '-    -    -    -    x    x',
  'organization.cross_access': '-    -    -    -    -    x',
  'admin_pages.view':          '-    -    -    -    -    x',
  'api_docs.view':             '-    -    -    -    -    x',
  'test_data.manage':          '-    -    -    -    -    x',
};

/** The developer flag adds only these, for every role including none. */
const developerActions: Action[] = ['api_docs.view', 'test_data.manage'];

function expectedAllowed(role: Role, developer: boolean, operatorControl: boolean, action: Action): boolean {
  if (developer && developerActions.includes(action)) return true;
  if (operatorControl && role === 'operator' && action === 'device.control') return true;
  const cells = baseMatrix[action].split(/\s+/);
  return cells[roles.indexOf(role)] === 'x';
}

const principals = roles.flatMap((role) =>
  [false, true].flatMap((developer) => [false, true].map((operatorControl) => ({ role, developer, operatorControl }))),
);

function describePrincipal(principal: { role: Role; developer: boolean; operatorControl: boolean }): string {
  const flags = [principal.developer ? 'developer' : 'not developer', principal.operatorControl ? 'operator control' : 'no operator control'];
  return `${principal.role ?? 'no role'}, ${flags.join(', ')}`;
}

describe('permission matrix', () => {
  it('covers every action', () => {
    expect(Object.keys(baseMatrix).sort()).toEqual([...actions].sort());
  });

  for (const { role, developer, operatorControl } of principals) {
    describe(describePrincipal({ role, developer, operatorControl }), () => {
      for (const action of actions) {
        const expected = expectedAllowed(role, developer, operatorControl, action);
        it(`${expected ? 'allows' : 'denies'} ${action}`, () => {
          expect(isAllowed({ role, developer }, action, { operatorControl })).toBe(expected);
        });
      }

      it('lists the same actions in allowedActions', () => {
        const expected = actions.filter((action) => expectedAllowed(role, developer, operatorControl, action));
        expect(allowedActions({ role, developer }, { operatorControl })).toEqual(expected);
      });
    });
  }

  it('defaults to no operator control', () => {
    expect(isAllowed({ role: 'operator', developer: false }, 'device.control')).toBe(false);
  });

  it('gives no site data to a developer without a role', () => {
    expect(allowedActions({ role: null, developer: true })).toEqual(developerActions);
  });
});

describe('roleAtLeast', () => {
  it('never ranks no role', () => {
    expect(roleAtLeast(null, 'viewer')).toBe(false);
  });

  it('ranks a role at least as itself', () => {
    expect(roleAtLeast('operator', 'operator')).toBe(true);
  });

  it('ranks a lower role below a higher one', () => {
    expect(roleAtLeast('site_manager', 'org_admin')).toBe(false);
  });
});

describe('grantableSiteRoles', () => {
  const cases: { granter: Role; grantable: SiteRole[] }[] = [
    { granter: null, grantable: [] },
    { granter: 'viewer', grantable: [] },
    { granter: 'operator', grantable: [] },
    { granter: 'site_manager', grantable: ['viewer', 'operator'] },
    { granter: 'org_admin', grantable: ['viewer', 'operator', 'site_manager'] },
    { granter: 'platform_admin', grantable: ['viewer', 'operator', 'site_manager'] },
  ];

  it.each(cases)('$granter grants $grantable', ({ granter, grantable }) => {
    expect(grantableSiteRoles(granter)).toEqual(grantable);
  });

  it('returns a copy the caller may change', () => {
    const granted = grantableSiteRoles('org_admin');
    granted.pop();
    expect(grantableSiteRoles('org_admin')).toHaveLength(3);
  });
});

describe('effectiveSiteRole', () => {
  const organizationRoles: (OrganizationRole | null)[] = [null, 'member', 'org_admin'];
  const siteRoles: (SiteRole | null)[] = [null, 'viewer', 'operator', 'site_manager'];
  const cases = [false, true].flatMap((platformAdmin) =>
    organizationRoles.flatMap((organizationRole) =>
      siteRoles.map((siteRole) => {
        let expected: Role = siteRole;
        if (organizationRole === 'org_admin') expected = 'org_admin';
        if (platformAdmin) expected = 'platform_admin';
        return { platformAdmin, organizationRole, siteRole, expected };
      }),
    ),
  );

  it.each(cases)('platform admin $platformAdmin, organization role $organizationRole, site role $siteRole is $expected', (input) => {
    const { expected, ...principal } = input;
    expect(effectiveSiteRole(principal)).toBe(expected);
  });

  it('gives a member without a grant no role', () => {
    expect(effectiveSiteRole({ platformAdmin: false, organizationRole: 'member', siteRole: null })).toBeNull();
  });

  it('keeps the grant of a member', () => {
    expect(effectiveSiteRole({ platformAdmin: false, organizationRole: 'member', siteRole: 'operator' })).toBe('operator');
  });
});
