import { z } from 'zod';

/** Raised when an environment variable is missing or invalid; the message names each one. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'expected a postgres:// or postgresql:// URL');
const redisUrl = z.string().refine((value) => /^rediss?:\/\//.test(value), 'expected a redis:// or rediss:// URL');
const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'expected an origin such as https://ems.example.com, with no path or trailing slash');

const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

/** Builds the schema of an integer variable in `[min, max]`, whose error states the range instead of "received NaN". */
function integerVariable(min: number, max?: number) {
  const message = max === undefined ? `expected an integer of at least ${min}` : `expected an integer from ${min} to ${max}`;
  const schema = z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message });
  return max === undefined ? schema : schema.max(max, { error: message });
}

/** Variables that may contain a password or secret, so an error names them without their value. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'MIGRATE_DATABASE_URL', 'REDIS_URL', 'ELECTRIC_SECRET']);

/** Environment variables of `cloud start`, with their defaults. */
const serviceEnvSchema = z.object({
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
  /** Prefix of every Redis key and channel, so several deployments (or test files) share one Redis. */
  REDIS_PREFIX: z.string().max(64).default(''),
  /** Folder of ES256 signing keys (PKCS#8 PEM); `cloud keys rotate` adds one. */
  JWT_KEYS_DIR: z.string().min(1),
  JWT_ISSUER: z.string().min(1).default('simtestlab-ems-cloud'),
  JWT_AUDIENCE: z.string().min(1).default('simtestlab-ems'),
  /** Base URL of the web app, used to build set-password links. */
  PUBLIC_URL: origin,
  /** Comma-separated origins allowed by CORS and by the Origin check on cookie-authenticated requests. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''))
    .pipe(z.array(origin)),
  HOST: z.string().default('127.0.0.1'),
  PORT: integerVariable(0, 65535).default(8080),
  /**
   * Whether to take the client IP from the last X-Forwarded-For entry. Set it only behind exactly one
   * reverse proxy that you run and that appends the client address to that header.
   */
  TRUST_PROXY: booleanFlag.default(false),
  /** Whether the refresh cookie carries the Secure attribute; turn off only for plain-HTTP development. */
  COOKIE_SECURE: booleanFlag.default(true),
  /** Audience of /api/openapi.json: developers and platform admins, or anyone. */
  API_DOCS_ACCESS: z.enum(['developers', 'public']).default('developers'),
  DATABASE_POOL_SIZE: integerVariable(1, 200).default(10),
  /**
   * Base URL of an Electric service reading the same Postgres. When set, the hub forwards the
   * table-backed shapes to it as their authorizing proxy instead of serving them itself.
   */
  ELECTRIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Electric's API secret, sent as its `secret` parameter. */
  ELECTRIC_SECRET: z.string().min(1).optional(),

  /**
   * Folder of signed edge releases: `<channel>.manifest.json` files written by the release tool and the
   * artifacts they name. The hub serves them to paired edges and never signs anything itself.
   */
  RELEASES_DIR: z.string().min(1).optional(),

  // Live relay
  /** Bytes queued in a browser's live socket above which the hub only keeps the latest sample per point for it. */
  LIVE_HIGH_WATER_BYTES: integerVariable(1024).default(1_000_000),
  /** Milliseconds a browser's live socket may stay above the high-water mark before the hub closes it. */
  LIVE_SLOW_CLIENT_TIMEOUT_MS: integerVariable(100).default(10_000),

  // Uploads from edges
  /** Uploads one instance stores at once; beyond it an edge gets 503 hub_busy and retries after 1 s. */
  INGEST_CONCURRENCY: integerVariable(1, 64).default(4),
  /** Difference between an edge's clock and the hub's, in milliseconds, above which the site's sync status flags it. */
  CLOCK_SKEW_THRESHOLD_MS: integerVariable(0).default(30_000),

  // Alarm notifications
  /**
   * Whether webhook URLs may use plain http and point at loopback, private or link-local addresses.
   * Keep it off in production, so org admins cannot make the hub send requests into its own network.
   */
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  /** Milliseconds one webhook request may take, connecting included. */
  WEBHOOK_TIMEOUT_MS: integerVariable(100, 60_000).default(10_000),
  /** Attempts of one webhook delivery, the first included, before the hub gives it up. */
  WEBHOOK_MAX_ATTEMPTS: integerVariable(1, 50).default(8),
  /** Milliseconds before the first retry of a failed delivery; each later retry doubles it, with jitter. */
  WEBHOOK_BACKOFF_BASE_MS: integerVariable(10).default(30_000),
  /** Maximum wait between two attempts of one delivery, in milliseconds. */
  WEBHOOK_MAX_BACKOFF_MS: integerVariable(10).default(3_600_000),
  /** Milliseconds between two rounds of the notification worker (new alarms, escalations, due retries). */
  NOTIFICATION_POLL_INTERVAL_MS: integerVariable(100).default(5_000),
});
export type ServiceConfig = z.infer<typeof serviceEnvSchema>;

const migrateEnvSchema = z.object({
  MIGRATE_DATABASE_URL: postgresUrl,
  /** The runtime role's URL; `cloud migrate` grants that role its privileges. */
  DATABASE_URL: postgresUrl,
});
export type MigrateConfig = z.infer<typeof migrateEnvSchema>;

function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.');
    const value = env[name];
    if (value === undefined) return `${name} is missing`;
    if (SECRET_VARIABLES.has(name)) return `${name} is invalid: ${issue.message}`;
    return `${name} is invalid: ${issue.message} (received "${value}")`;
  });
  throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}

/** Environment variables of `cloud create-admin`: only what creating a user and its link needs. */
const createAdminEnvSchema = z.object({
  DATABASE_URL: postgresUrl,
  /** Base URL of the web app, used to build the set-password link. */
  PUBLIC_URL: origin,
  /** When set, a promoted user's cached permissions are dropped at once instead of at their next login. */
  REDIS_URL: redisUrl.optional(),
  REDIS_PREFIX: z.string().max(64).default(''),
});
export type CreateAdminConfig = z.infer<typeof createAdminEnvSchema>;

/** Environment variables of `cloud keys rotate`. */
const keysEnvSchema = z.object({
  JWT_KEYS_DIR: z.string().min(1),
});
export type KeysConfig = z.infer<typeof keysEnvSchema>;

/** Reads the configuration of `cloud start` from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return parseEnv(serviceEnvSchema, env);
}

/** Reads the configuration of `cloud migrate` from the environment. */
export function loadMigrateConfig(env: NodeJS.ProcessEnv = process.env): MigrateConfig {
  return parseEnv(migrateEnvSchema, env);
}

/** Reads the configuration of `cloud create-admin` from the environment. */
export function loadCreateAdminConfig(env: NodeJS.ProcessEnv = process.env): CreateAdminConfig {
  return parseEnv(createAdminEnvSchema, env);
}

/** Reads the configuration of `cloud keys rotate` from the environment. */
export function loadKeysConfig(env: NodeJS.ProcessEnv = process.env): KeysConfig {
  return parseEnv(keysEnvSchema, env);
}
