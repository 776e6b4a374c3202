import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSigningKey, expiredKeyFiles, KEY_PUBLISH_DELAY_MS } from '../auth/signing-keys';
import { loadKeysConfig } from '../config/config';
import { KEY_RETAIN_MS } from '../service';
import { parseCommandLine, UsageError } from './command-line';

const retainMinutes = KEY_RETAIN_MS / 60_000;
const publishMinutes = KEY_PUBLISH_DELAY_MS / 60_000;

const keysHelp = `Usage: cloud keys <subcommand>

Subcommands:
  rotate  add a new JWT signing key and delete the keys no longer needed to verify tokens

Run "cloud keys rotate --help" for details.
`;

const rotateHelp = `Usage: cloud keys rotate

Creates a new ES256 signing key in JWT_KEYS_DIR (the folder is created if missing) and prints its
key id (kid). Running hubs reread the folder every minute and publish the new key in
/.well-known/jwks.json at once, but sign with it only ${publishMinutes} minutes after its creation, so
verifiers that cache the JWKS for 5 minutes know it by then. A replaced key keeps verifying, and stays
in the JWKS, for ${retainMinutes} minutes after its successor started signing (the access-token lifetime,
the reread interval and the clock tolerance); key files older than that are deleted.

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
