import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PermissionCache } from '../access/permission-cache';
import { hashPassword } from '../auth/passwords';
import { emailSchema, newPasswordSchema } from '../auth/schemas';
import { loadCreateAdminConfig } from '../config/config';
import { connectDatabase } from '../db/connect';
import { createLogger } from '../logger';
import { connectRedis } from '../redis';
import { parseCommandLine, UsageError } from './command-line';
import { ADMIN_LINK_TTL_MS, createPlatformAdmin, type PlatformAdminDeps } from './platform-admin';

const linkHours = ADMIN_LINK_TTL_MS / 3_600_000;

const help = `Usage: cloud create-admin --email EMAIL [--name NAME] [--password-stdin]

Creates an active platform admin. When a user with that email exists, it prints that, then promotes
that user to platform admin (and reactivates it if disabled). Writes one audit entry with actor
"system" / "cli".

Without --password-stdin it prints a set-password link, usable once within ${linkHours} h:
PUBLIC_URL/set-password#token=...

Options:
  --email EMAIL     email address of the admin (required)
  --name NAME       display name of a new user, 1 to 200 characters (default: the part of the email
                    before @); an existing user keeps their name
  --password-stdin  read the password (12 to 256 characters) from standard input instead of printing
                    a link; one final line break is dropped. Setting it on an existing user logs out
                    their sessions. Example: printf '%s' "$PASSWORD" | cloud create-admin --email ... --password-stdin
  -h, --help        show this help

Environment:
  DATABASE_URL  postgres:// URL of the runtime role (required)
  PUBLIC_URL    origin of the web app, such as https://ems.example.com, for the link (required)
  REDIS_URL     redis:// or rediss:// URL (default: unset); when set, a promoted user's cached
                permissions are dropped at once, otherwise at their next login or token refresh
  REDIS_PREFIX  prefix of the hub's Redis keys and channels (default: empty)
  LOG_LEVEL     pino log level (default: warn)
`;

const nameSchema = z.string().trim().min(1).max(200);

/** Reads the password from a pipe, without the one final line break that echo and editors add. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError('--password-stdin reads a pipe, not a terminal, so the password is never echoed', help);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  const checked = newPasswordSchema.safeParse(password);
  if (!checked.success) throw new Error(`the password from standard input is invalid: it ${checked.error.issues[0]!.message}`);
  return checked.data;
}

function parseOptions(argv: string[]) {
  const { values } = parseCommandLine(help, () =>
    parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) return null;
  if (values.email === undefined) throw new UsageError('--email is required', help);
  const email = emailSchema.safeParse(values.email.trim());
  if (!email.success) throw new UsageError(`--email "${values.email}" is invalid: expected an email address such as ana@example.com`, help);
  const name = nameSchema.safeParse(values.name ?? email.data.split('@')[0]);
  if (!name.success) throw new UsageError('--name is invalid: expected 1 to 200 characters', help);
  return { email: email.data, name: name.data, passwordFromStdin: values['password-stdin'] };
}

export async function runCreateAdminCommand(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  if (options === null) {
    process.stdout.write(help);
    return;
  }
  const config = loadCreateAdminConfig();
  const passwordHash = options.passwordFromStdin ? await hashPassword(await readPasswordFromStdin()) : null;

  const logger = createLogger({ name: 'cloud-cli', level: process.env.LOG_LEVEL ?? 'warn' });
  const sql = connectDatabase(config.DATABASE_URL, { max: 1 });
  const redis = config.REDIS_URL === undefined ? null : connectRedis(config.REDIS_URL, logger, 'cloud-cli');
  // Without Redis nothing is invalidated, which is safe because a new admin has no cached permissions.
  // A promoted user's cached copy grants less than the new permissions. It is replaced at the user's
  // next login or token refresh, because the new token carries the raised permissions version.
  const permissions: PlatformAdminDeps['permissions'] =
    redis === null ? { invalidate: async () => {} } : new PermissionCache(sql, redis, config.REDIS_PREFIX, logger);

  try {
    const result = await createPlatformAdmin({ sql, permissions, logger }, { ...options, passwordHash }, (message) => process.stdout.write(`${message}\n`));
    if (result.outcome === 'created') process.stdout.write(`created platform admin ${options.email} (${result.userId})\n`);
    if (result.outcome === 'promoted') process.stdout.write(`promoted ${options.email} to platform admin\n`);
    if (result.reactivated) process.stdout.write(`reactivated ${options.email}\n`);
    if (result.setPasswordToken === null) {
      process.stdout.write(`password set; log in at ${config.PUBLIC_URL}\n`);
    } else {
      process.stdout.write(`set-password link, usable once within ${linkHours} h:\n${config.PUBLIC_URL}/set-password#token=${result.setPasswordToken}\n`);
    }
  } finally {
    redis?.disconnect();
    await sql.end({ timeout: 5 });
  }
}
