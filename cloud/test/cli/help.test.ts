import { describe, it } from 'vitest';
import { runCli } from './run-cli';

const START_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_POOL_SIZE',
  'REDIS_URL',
  'REDIS_PREFIX',
  'JWT_KEYS_DIR',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'PUBLIC_URL',
  'CORS_ORIGINS',
  'HOST',
  'PORT',
  'TRUST_PROXY',
  'COOKIE_SECURE',
  'API_DOCS_ACCESS',
  'ELECTRIC_URL',
  'ELECTRIC_SECRET',
  'RELEASES_DIR',
  'LIVE_HIGH_WATER_BYTES',
  'LIVE_SLOW_CLIENT_TIMEOUT_MS',
  'INGEST_CONCURRENCY',
  'CLOCK_SKEW_THRESHOLD_MS',
  'WEBHOOK_ALLOW_PRIVATE',
  'WEBHOOK_TIMEOUT_MS',
  'WEBHOOK_MAX_ATTEMPTS',
  'WEBHOOK_BACKOFF_BASE_MS',
  'WEBHOOK_MAX_BACKOFF_MS',
  'NOTIFICATION_POLL_INTERVAL_MS',
  'LOG_LEVEL',
];

describe.concurrent('cloud --help', () => {
  const helps: { args: string[]; variables: string[] }[] = [
    { args: ['--help'], variables: [] },
    { args: ['migrate', '--help'], variables: ['MIGRATE_DATABASE_URL', 'DATABASE_URL', 'LOG_LEVEL'] },
    { args: ['create-admin', '--help'], variables: ['DATABASE_URL', 'PUBLIC_URL', 'REDIS_URL', 'REDIS_PREFIX', 'LOG_LEVEL'] },
    { args: ['keys', '--help'], variables: [] },
    { args: ['keys', 'rotate', '--help'], variables: ['JWT_KEYS_DIR'] },
    { args: ['start', '--help'], variables: START_VARIABLES },
    { args: ['start', '-h'], variables: START_VARIABLES },
  ];

  for (const { args, variables } of helps) {
    it(`${args.join(' ')} exits 0 with the usage`, async ({ expect }) => {
      const { code, stdout, stderr } = await runCli(args);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: cloud/);
      expect(stderr).toBe('');
      for (const variable of variables) expect(stdout).toMatch(new RegExp(`^  ${variable}( |\n)`, 'm'));
    });
  }

  it('help names a default for every optional start variable', async ({ expect }) => {
    const { stdout } = await runCli(['start', '--help']);
    const environment = stdout.slice(stdout.indexOf('Environment:'), stdout.indexOf('Options:'));
    const entries = environment.split(/\n(?= {2}[A-Z])/).slice(1);
    expect(entries).toHaveLength(START_VARIABLES.length);
    for (const entry of entries) expect(entry).toMatch(/\((required|default: [^)]+)\)/);
  });
});

describe.concurrent('cloud command line', () => {
  const usageErrors: { name: string; args: string[]; message: string; usage: string }[] = [
    { name: 'no command', args: [], message: 'a command is required', usage: 'Usage: cloud <command>' },
    { name: 'an unknown command', args: ['frobnicate'], message: 'unknown command "frobnicate"', usage: 'Usage: cloud <command>' },
    { name: 'an unknown option', args: ['migrate', '--force'], message: "Unknown option '--force'", usage: 'Usage: cloud migrate' },
    { name: 'a stray argument', args: ['start', 'now'], message: 'now', usage: 'Usage: cloud start' },
    { name: 'keys without subcommand', args: ['keys'], message: 'a subcommand is required', usage: 'Usage: cloud keys' },
    { name: 'an unknown keys subcommand', args: ['keys', 'spin'], message: 'unknown subcommand "keys spin"', usage: 'Usage: cloud keys' },
    { name: 'an unknown rotate option', args: ['keys', 'rotate', '--all'], message: "Unknown option '--all'", usage: 'Usage: cloud keys rotate' },
    { name: 'create-admin without email', args: ['create-admin'], message: '--email is required', usage: 'Usage: cloud create-admin' },
    { name: 'an invalid email', args: ['create-admin', '--email', 'ana'], message: '--email "ana" is invalid', usage: 'Usage: cloud create-admin' },
    { name: 'an email without value', args: ['create-admin', '--email'], message: "Option '--email <value>' argument missing", usage: 'Usage: cloud create-admin' },
  ];

  for (const { name, args, message, usage } of usageErrors) {
    it(`exits 2 on ${name}`, async ({ expect }) => {
      const { code, stderr } = await runCli(args);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).toContain(usage);
    });
  }
});

describe.concurrent('cloud environment errors', () => {
  it('migrate names a missing DATABASE_URL', async ({ expect }) => {
    const { code, stderr } = await runCli(['migrate'], { env: { MIGRATE_DATABASE_URL: 'postgres://owner@127.0.0.1/ems' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ {2}DATABASE_URL is missing$/m);
    expect(stderr).not.toContain('MIGRATE_DATABASE_URL');
    expect(stderr).toContain('Run "cloud migrate --help"');
  });

  it('create-admin needs only DATABASE_URL and PUBLIC_URL', async ({ expect }) => {
    const { code, stderr } = await runCli(['create-admin', '--email', 'ana@example.com']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ {2}DATABASE_URL is missing$/m);
    expect(stderr).toMatch(/^ {2}PUBLIC_URL is missing$/m);
    expect(stderr).not.toContain('REDIS_URL');
    expect(stderr).not.toContain('JWT_KEYS_DIR');
  });

  it('create-admin names an invalid PUBLIC_URL and REDIS_URL', async ({ expect }) => {
    const env = { DATABASE_URL: 'postgres://app@127.0.0.1/ems', PUBLIC_URL: 'https://ems.example.com/app', REDIS_URL: 'localhost:6379' };
    const { code, stderr } = await runCli(['create-admin', '--email', 'ana@example.com'], { env });
    expect(code).toBe(1);
    expect(stderr).toContain('PUBLIC_URL is invalid: expected an origin');
    expect(stderr).toContain('REDIS_URL is invalid: expected a redis:// or rediss:// URL');
  });

  it('keys rotate names a missing JWT_KEYS_DIR', async ({ expect }) => {
    const { code, stderr } = await runCli(['keys', 'rotate']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ {2}JWT_KEYS_DIR is missing$/m);
    expect(stderr).toContain('Run "cloud keys rotate --help"');
  });

  it('start names every missing and invalid variable', async ({ expect }) => {
    const { code, stderr } = await runCli(['start'], { env: { PORT: '70000', COOKIE_SECURE: 'yes' } });
    expect(code).toBe(1);
    for (const variable of ['DATABASE_URL', 'REDIS_URL', 'JWT_KEYS_DIR', 'PUBLIC_URL']) {
      expect(stderr).toMatch(new RegExp(`^ {2}${variable} is missing$`, 'm'));
    }
    expect(stderr).toMatch(/^ {2}PORT is invalid/m);
    expect(stderr).toMatch(/^ {2}COOKIE_SECURE is invalid/m);
  });

  it('start names a bad number and its value', async ({ expect }) => {
    const { code, stderr } = await runCli(['start'], { env: { INGEST_CONCURRENCY: 'four', LIVE_HIGH_WATER_BYTES: '12.5' } });
    expect(code).toBe(1);
    expect(stderr).toContain('INGEST_CONCURRENCY is invalid: expected an integer from 1 to 64 (received "four")');
    expect(stderr).toContain('LIVE_HIGH_WATER_BYTES is invalid: expected an integer of at least 1024 (received "12.5")');
    expect(stderr).not.toContain('NaN');
  });
});
