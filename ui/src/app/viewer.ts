import type { Action } from '@simtestlab/sync';

/** The signed-in user as the UI needs them: who they are and what they may do where. */
export interface Viewer {
  id: string;
  name: string;
  email: string | null;
  /** Local installer account of the edge, or a hub user. */
  source: 'local' | 'cloud-user' | 'hub-token' | 'cloud';
  platformAdmin: boolean;
  developer: boolean;
  /** Organizations the user belongs to, with the role there. */
  organizations: { id: string; name: string; role: 'org_admin' | 'member' }[];
  /** Sites the user may open, with the effective role there. */
  sites: { id: string; name: string; organizationId: string | null; role: string }[];
  /** What the user may do at a site; the server checks every action again. */
  can(action: Action, siteId: string): boolean;
  /** Whether the user may open the admin pages (platform admins, and org admins for their organizations). */
  canAdminister: boolean;
}
