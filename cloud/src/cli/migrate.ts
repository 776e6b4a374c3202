import { parseArgs } from 'node:util';
import { loadMigrateConfig } from '../config/config';
import { connectDatabase } from '../db/connect';
import { migrate, roleOfUrl } from '../db/migrate';
import { createLogger } from '../logger';
import { parseCommandLine } from './command-line';

const help = `Usage: cloud migrate

Applies the pending database migrations as the owner role, all in one transaction (a failure applies
none), then grants the runtime role of DATABASE_URL what the hub needs: read and write on the tables,
SELECT and INSERT only on the audit log, no ownership. Prints the versions applied; running it again
applies nothing. Concurrent runs wait for each other.

Environment:
  MIGRATE_DATABASE_URL  postgres:// URL of the role that owns the database (required)
  DATABASE_URL          postgres:// URL of the runtime role that cloud start uses (required); it
                        must name a different role than MIGRATE_DATABASE_URL
  LOG_LEVEL             pino log level of messages written while migrating (default: warn)

Options:
  -h, --help  show this help
`;

export async function runMigrateCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(help, () => parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } } }));
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const config = loadMigrateConfig();
  const runtimeRole = roleOfUrl(config.DATABASE_URL);
  const owner = connectDatabase(config.MIGRATE_DATABASE_URL, { max: 1 });
  try {
    const applied = await migrate(owner, runtimeRole, createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }));
    process.stdout.write(
      applied.length === 0
        ? `database is up to date; no migration applied; privileges of role "${runtimeRole}" granted again\n`
        : `applied migrations ${applied.join(', ')}; privileges of role "${runtimeRole}" granted\n`,
    );
  } finally {
    await owner.end({ timeout: 5 });
  }
}
