/** The role a demo user stands for; the first three are site roles on both demo sites. */
export type DemoRole = 'viewer' | 'operator' | 'site_manager' | 'org_admin' | 'platform_admin' | 'developer';

/** A demo user: how the hub stores its role, and what the demo prints about it. */
export interface DemoUser {
  role: DemoRole;
  email: string;
  name: string;
  /** Membership role in the demo organization, or null for none. */
  organizationRole: 'org_admin' | 'member' | null;
  /** Role granted on both demo sites, or null for none. */
  siteRole: 'viewer' | 'operator' | 'site_manager' | null;
  platformAdmin: boolean;
  developer: boolean;
  /** One line on what the user can do, for the demo's output. */
  abilities: string;
}

const DOMAIN = 'demo.example.com';

/** One user per role, in the order the demo prints them. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    role: 'viewer',
    email: `viewer@${DOMAIN}`,
    name: 'Vera Viewer',
    organizationRole: 'member',
    siteRole: 'viewer',
    platformAdmin: false,
    developer: false,
    abilities: 'sees dashboards, live values and alarms of both sites; changes nothing',
  },
  {
    role: 'operator',
    email: `operator@${DOMAIN}`,
    name: 'Otto Operator',
    organizationRole: 'member',
    siteRole: 'operator',
    platformAdmin: false,
    developer: false,
    abilities: 'acknowledges alarms, exports reports and controls devices (both sites allow operator control)',
  },
  {
    role: 'site_manager',
    email: `site-manager@${DOMAIN}`,
    name: 'Sam Site Manager',
    organizationRole: 'member',
    siteRole: 'site_manager',
    platformAdmin: false,
    developer: false,
    abilities: 'manages devices, edge nodes and user access of both sites',
  },
  {
    role: 'org_admin',
    email: `org-admin@${DOMAIN}`,
    name: 'Olga Org Admin',
    organizationRole: 'org_admin',
    siteRole: null,
    platformAdmin: false,
    developer: false,
    abilities: 'manages the organization "Demo Energy": its sites, users and notifications',
  },
  {
    role: 'platform_admin',
    email: `platform-admin@${DOMAIN}`,
    name: 'Paula Platform Admin',
    organizationRole: null,
    siteRole: null,
    platformAdmin: true,
    developer: false,
    abilities: 'manages every organization on the hub and opens the admin pages',
  },
  {
    role: 'developer',
    email: `developer@${DOMAIN}`,
    name: 'Dev Developer',
    organizationRole: 'member',
    siteRole: 'viewer',
    platformAdmin: false,
    developer: true,
    abilities: 'reads the API docs and manages test data; views both sites',
  },
];
