import type { DemoLoginsFile } from '@simtestlab/cloud/src/demo/logins-file';

/** A running demo edge, for the summary. */
export interface EdgeSummary {
  siteName: string;
  url: string;
  /** Password of the edge's local account "demo-admin". */
  localAdminPassword: string;
}

const roleLabels: Record<DemoLoginsFile['logins'][number]['role'], string> = {
  viewer: 'viewer',
  operator: 'operator',
  site_manager: 'site manager',
  org_admin: 'org admin',
  platform_admin: 'platform admin',
  developer: 'developer',
};

/** Formats what the demo prints once everything runs: the URLs, the logins and how to stop. */
export function formatSummary(hubUrl: string, edges: readonly EdgeSummary[], logins: DemoLoginsFile, dataDir: string, resetCommand: string): string {
  const lines = ['', 'SimTestLab EMS demo is running.', '', `  Cloud hub:  ${hubUrl}/`];
  for (const edge of edges) lines.push(`  Edge of ${edge.siteName}:  ${edge.url}/  (local account "demo-admin", password ${edge.localAdminPassword})`);
  lines.push('', `Hub logins of the organization "Demo Energy" (also in ${dataDir}/logins.json):`);
  for (const login of logins.logins) {
    lines.push(`  ${roleLabels[login.role].padEnd(15)} ${login.email.padEnd(32)} password ${login.password}`);
    lines.push(`  ${''.padEnd(15)} ${login.abilities}`);
  }
  lines.push(
    '',
    'The hub logins of viewer, operator, site manager, org admin and developer also work on both edges once',
    'an edge has synced its site users from the hub. The platform admin logs in on the hub only: an edge knows',
    'just the users of its organization, and the platform admin is not a member of "Demo Energy".',
    `Logs of the hub and the edges: ${dataDir}/logs/`,
    `Press Ctrl+C to stop the hub, both edges and their simulators. Run "${resetCommand}" to start over.`,
    '',
  );
  return lines.join('\n');
}
