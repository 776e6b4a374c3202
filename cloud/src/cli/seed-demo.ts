import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PermissionCache } from '../access/permission-cache';
import { loadCreateAdminConfig } from '../config/config';
import { connectDatabase } from '../db/connect';
import { DEMO_ORGANIZATION_NAME } from '../demo/demo-sites';
import { readKnownPasswords, writeLoginsFile } from '../demo/logins-file';
import { seedDemo, type SeedDemoDeps } from '../demo/seed-demo';
import { createLogger } from '../logger';
import { connectRedis } from '../redis';
import { parseCommandLine, UsageError } from './command-line';

const help = `Usage: cloud seed-demo --out DIR

Creates the demo on the hub: the organization "${DEMO_ORGANIZATION_NAME}", the sites "Demo Site A" and
"Demo Site B" with the devices of the demo site files, and one user per role (viewer, operator,
site manager, org admin, platform admin, developer) at @demo.example.com with random passwords.
Running it again creates only what is missing and keeps the passwords in DIR/logins.json.
Writes audit entries with actor "system" / "cli".

Writes to DIR (created if missing):
  logins.json                  hub URL, site ids and each user's email, password and role (mode 0600)
  demo-site-a.pairing-code     one-time pairing code for the site's edge, written only while the site
  demo-site-b.pairing-code     has no paired edge; pair with
                               edge-node pair --cloud PUBLIC_URL --code-file DIR/demo-site-a.pairing-code

Options:
  --out DIR    folder for the logins and pairing codes (required)
  -h, --help   show this help

Environment:
  DATABASE_URL  postgres:// URL of the runtime role (required)
  PUBLIC_URL    origin of the hub's web app, such as http://127.0.0.1:8090, written to logins.json (required)
  REDIS_URL     redis:// or rediss:// URL (default: unset); when set, changed users' cached permissions
                are dropped at once, otherwise at their next login or token refresh
  REDIS_PREFIX  prefix of the hub's Redis keys and channels (default: empty)
  LOG_LEVEL     pino log level (default: warn)
`;

function parseOptions(argv: string[]): { out: string } | null {
  const { values } = parseCommandLine(help, () =>
    parseArgs({ args: argv, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }),
  );
  if (values.help) return null;
  if (values.out === undefined || values.out.trim() === '') throw new UsageError('--out is required: name the folder for logins.json and the pairing codes', help);
  return { out: resolve(values.out) };
}

/** Returns the path of a site's pairing-code file in the output folder. */
export function pairingCodePath(outDir: string, siteKey: string): string {
  return join(outDir, `${siteKey}.pairing-code`);
}

export async function runSeedDemoCommand(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  if (options === null) {
    process.stdout.write(help);
    return;
  }
  const config = loadCreateAdminConfig();
  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  const knownPasswords = readKnownPasswords(options.out);

  const logger = createLogger({ name: 'cloud-cli', level: process.env.LOG_LEVEL ?? 'warn' });
  const sql = connectDatabase(config.DATABASE_URL, { max: 1 });
  const redis = config.REDIS_URL === undefined ? null : connectRedis(config.REDIS_URL, logger, 'cloud-cli');
  // Without Redis, a changed user's cached permissions stay until the cached entry expires or the user
  // logs in again. The raised permissions version makes their next token refresh load the new ones.
  const permissions: SeedDemoDeps['permissions'] =
    redis === null ? { invalidate: async () => {} } : new PermissionCache(sql, redis, config.REDIS_PREFIX, logger);

  try {
    const result = await seedDemo({ sql, permissions, logger }, knownPasswords);
    const loginsFile = writeLoginsFile(options.out, {
      hubUrl: config.PUBLIC_URL,
      organizationId: result.organizationId,
      sites: result.sites.map(({ key, id, name }) => ({ key, id, name })),
      logins: result.logins,
    });
    for (const site of result.sites) {
      const path = pairingCodePath(options.out, site.key);
      if (site.pairingCode === null) {
        // A code file left from an earlier run was used up by the paired edge.
        rmSync(path, { force: true });
        process.stdout.write(`site "${site.name}" (${site.id}) already has a paired edge; no pairing code issued\n`);
      } else {
        writeFileSync(path, `${site.pairingCode}\n`, { mode: 0o600 });
        process.stdout.write(`site "${site.name}" (${site.id}): pairing code written to ${path}\n`);
      }
    }
    for (const change of result.changes) process.stdout.write(`${change}\n`);
    if (result.changes.length === 0) process.stdout.write('the demo was complete; nothing changed\n');
    process.stdout.write(`logins written to ${loginsFile}\n`);
  } finally {
    redis?.disconnect();
    await sql.end({ timeout: 5 });
  }
}
