import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSigningKey, expiredKeyFiles } from '../auth/signing-keys';
import { loadKeysConfig } from '../config/config';
import { KEY_RETAIN_MS } from '../service';
import { parseCommandLine, UsageError } from './command-line';

const retainMinutes = KEY_RETAIN_MS / 60_000;

const keysHelp = `Usage: cloud keys <subcommand>

Subcommands:
  rotate  add a new JWT signing key and delete the keys no longer needed to verify tokens

Run "cloud keys rotate --help" for details.
`;

const rotateHelp = `Usage: cloud keys rotate

Creates a new ES256 signing key in JWT_KEYS_DIR (the folder is created if missing) and prints its
key id (kid). Running hubs reread the folder every minute and then sign with the newest key. A
replaced key keeps verifying, and stays in /.well-known/jwks.json, for ${retainMinutes} minutes after the
key that replaced it was created (the access-token lifetime plus one minute); key files older than
that are deleted.

Environment:
  JWT_KEYS_DIR  folder of the signing keys, shared by every hub instance (required)

Options:
  -h, --help  show this help
`;

async function runRotate(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(rotateHelp, () => parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } } }));
  if (values.help) {
    process.stdout.write(rotateHelp);
    return;
  }
  const { JWT_KEYS_DIR: dir } = loadKeysConfig();
  const kid = await createSigningKey(dir);
  process.stdout.write(`created signing key ${kid} in ${dir}\n`);
  for (const file of expiredKeyFiles(dir, KEY_RETAIN_MS)) {
    rmSync(join(dir, file));
    process.stdout.write(`deleted expired key file ${file}\n`);
  }
}

export async function runKeysCommand(argv: string[]): Promise<void> {
  const [subcommand, ...rest] = argv;
  if (subcommand === '--help' || subcommand === '-h') {
    process.stdout.write(keysHelp);
    return;
  }
  if (subcommand === undefined) throw new UsageError('a subcommand is required', keysHelp);
  if (subcommand !== 'rotate') throw new UsageError(`unknown subcommand "keys ${subcommand}"`, keysHelp);
  await runRotate(rest);
}
