import { ConfigError } from '../config/config';
import { UsageError } from './command-line';
import { runCreateAdminCommand } from './create-admin';
import { runKeysCommand } from './keys';
import { runMigrateCommand } from './migrate';
import { runSeedDemoCommand } from './seed-demo';
import { runStartCommand } from './start';

const usage = `Usage: cloud <command> [options]

Commands:
  migrate       apply pending database migrations and grant the runtime role its privileges
  create-admin  create a platform admin, or promote an existing user to one
  keys rotate   add a JWT signing key and delete keys no longer needed to verify tokens
  start         run the cloud hub's HTTP API
  seed-demo     create the demo organization, sites, users and pairing codes (idempotent)

Run "cloud <command> --help" for the options and environment variables of a command.
Exit codes: 0 success, 1 failure (including invalid environment variables), 2 invalid command line.
`;

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  migrate: runMigrateCommand,
  'create-admin': runCreateAdminCommand,
  keys: runKeysCommand,
  start: runStartCommand,
  'seed-demo': runSeedDemoCommand,
};

const [command, ...rest] = process.argv.slice(2);
if (command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(usage);
} else if (command === undefined) {
  process.stderr.write(`a command is required\n\n${usage}`);
  process.exitCode = 2;
} else if (!(command in commands)) {
  process.stderr.write(`unknown command "${command}"\n\n${usage}`);
  process.exitCode = 2;
} else {
  try {
    await commands[command]!(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${error.help}`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError) {
      const commandName = command === 'keys' ? `keys ${rest[0]}` : command;
      process.stderr.write(`${error.message}\nRun "cloud ${commandName} --help" for the environment variables and their defaults.\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`cloud ${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}
