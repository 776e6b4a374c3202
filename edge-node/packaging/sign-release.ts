/**
 * Offline release tool: signs the manifest of a release channel, or creates a signing key pair. Run it
 * on the machine that stores the private key, never on the hub:
 *
 *   tsx packaging/sign-release.ts sign --key KEY.pem --channel stable --version 1.2.0 TARBALL...
 *   tsx packaging/sign-release.ts generate-key --out DIR --name NAME
 */
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  EDGE_HUB_PROTOCOL_VERSION,
  isSemver,
  manifestFileName,
  releaseArchSchema,
  releaseManifestSchema,
  signedReleaseManifestSchema,
  type ReleaseArtifact,
  type ReleaseManifest,
} from '@simtestlab/sync';
import type { z } from 'zod';
import { PUBLIC_KEY_SUFFIX, readPrivateKey, signManifest } from '../src/update/release-signature';
import { parseChannel } from '../src/update/update-state';

const execFileAsync = promisify(execFile);

const help = `Usage:
  tsx packaging/sign-release.ts sign --key FILE --channel NAME --version VERSION [options] TARBALL...
  tsx packaging/sign-release.ts generate-key --out DIR --name NAME

sign writes <channel>.manifest.json next to the tarballs: their sizes and SHA-256 sums, signed with an
ed25519 private key. Copy the manifest and the tarballs into the hub's RELEASES_DIR to publish them.
Each tarball's arch comes from its name, simtestlab-edge-<version>-linux-<x64|arm64>.tar.gz, and its
VERSION file must equal --version.

  --key FILE               ed25519 private key in PEM (PKCS#8) (required)
  --key-id NAME            name of the matching public key on the edges, <NAME>.pub
                           (default: the key file's name without its extension)
  --channel NAME           stable or beta (required)
  --version VERSION        semantic version of the release, such as 1.2.0 (required)
  --protocol-version N     edge-hub protocol the release speaks (default: ${EDGE_HUB_PROTOCOL_VERSION})
  --notes TEXT             release notes shown by "edge-node update check" (default: none)

generate-key writes <DIR>/<NAME>.pem (private, mode 0600) and <DIR>/<NAME>.pub. Keep the .pem off the
repository and off the hub; ship the .pub in edge-node/packaging/release-keys/.
`;

/** Returns the arch named in a tarball's file name. */
function archOf(file: string): ReleaseArtifact['arch'] {
  const match = /-linux-([a-z0-9]+)\.tar\.gz$/.exec(basename(file));
  const parsed = releaseArchSchema.safeParse(match?.[1]);
  if (!parsed.success) throw new Error(`${file}: cannot tell the arch from the name; expected simtestlab-edge-<version>-linux-<${releaseArchSchema.options.join('|')}>.tar.gz`);
  return parsed.data;
}

/**
 * Returns the VERSION file of a release tarball, read from its single top-level folder, which is named
 * like the tarball without `.tar.gz`.
 */
async function tarballVersion(file: string): Promise<string> {
  const member = `${basename(file).replace(/\.tar\.gz$/, '')}/VERSION`;
  try {
    const { stdout } = await execFileAsync('tar', ['-xzOf', file, member], { maxBuffer: 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const reason = ((error as { stderr?: string }).stderr ?? '').trim() || (error as Error).message;
    throw new Error(`${file}: cannot read ${member} from the tarball (${reason}); sign tarballs built by the package build, which writes VERSION`, { cause: error });
  }
}

/** Returns the first problem of a schema parse as one line naming the field. */
function describeIssue(error: z.ZodError, what: string): string {
  const issue = error.issues[0]!;
  return `${what} is invalid at "${issue.path.join('.') || '(root)'}": ${issue.message}`;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sign(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      'key-id': { type: 'string' },
      channel: { type: 'string' },
      version: { type: 'string' },
      'protocol-version': { type: 'string', default: String(EDGE_HUB_PROTOCOL_VERSION) },
      notes: { type: 'string' },
    },
  });
  if (values.key === undefined) throw new Error(`--key is required\n\n${help}`);
  if (values.channel === undefined) throw new Error(`--channel is required\n\n${help}`);
  if (values.version === undefined) throw new Error(`--version is required\n\n${help}`);
  if (!isSemver(values.version)) throw new Error(`--version: "${values.version}" is not a semantic version such as 1.2.0`);
  if (positionals.length === 0) throw new Error(`name at least one tarball\n\n${help}`);
  const protocolVersion = Number(values['protocol-version']);
  if (!Number.isInteger(protocolVersion) || protocolVersion < 1) throw new Error(`--protocol-version: "${values['protocol-version']}" is not a positive integer`);

  const folders = new Set(positionals.map((file) => dirname(resolve(file))));
  if (folders.size > 1) throw new Error(`the tarballs lie in ${folders.size} folders; put them in one, where the manifest is written`);
  const artifacts: ReleaseArtifact[] = [];
  for (const file of positionals) {
    if (!existsSync(file)) throw new Error(`${file} does not exist`);
    const arch = archOf(file);
    const version = await tarballVersion(file);
    if (version !== values.version) {
      throw new Error(`${file} contains VERSION ${version}, but --version is ${values.version}; pass --version ${version} or sign the tarballs of ${values.version}`);
    }
    artifacts.push({ arch, file: basename(file), size: statSync(file).size, sha256: await sha256Of(file) });
  }

  const channel = parseChannel(values.channel, '--channel');
  const parsedManifest = releaseManifestSchema.safeParse({
    schema: 1,
    channel,
    version: values.version,
    protocolVersion,
    releasedAt: new Date().toISOString(),
    artifacts,
    ...(values.notes === undefined ? {} : { notes: values.notes }),
  });
  if (!parsedManifest.success) throw new Error(`${describeIssue(parsedManifest.error, 'the release manifest')}; check the options and tarball names`);
  const manifest: ReleaseManifest = parsedManifest.data;
  const keyId = values['key-id'] ?? basename(values.key).replace(/\.[^.]*$/, '');
  const parsedSigned = signedReleaseManifestSchema.safeParse({ manifest, signatures: [signManifest(manifest, readPrivateKey(values.key), keyId)] });
  if (!parsedSigned.success) throw new Error(`${describeIssue(parsedSigned.error, 'the signed manifest')}; --key-id may contain only letters, digits, ".", "_" and "-"`);
  const signed = parsedSigned.data;
  const output = join([...folders][0]!, manifestFileName(channel));
  writeFileSync(output, `${JSON.stringify(signed, null, 2)}\n`);
  process.stdout.write(`wrote ${output}: ${channel} ${manifest.version}, ${artifacts.length} artifact(s), signed with key ${keyId}\n`);
}

function generateKey(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, name: { type: 'string' } } });
  if (values.out === undefined || values.name === undefined) throw new Error(`--out and --name are required\n\n${help}`);
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(values.name)) throw new Error(`--name: "${values.name}" may contain only letters, digits, ".", "_" and "-"`);
  const privatePath = join(values.out, `${values.name}.pem`);
  const publicPath = join(values.out, `${values.name}${PUBLIC_KEY_SUFFIX}`);
  if (existsSync(privatePath) || existsSync(publicPath)) throw new Error(`${privatePath} or ${publicPath} exists already; choose another --name`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(values.out, { recursive: true });
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx' });
  process.stdout.write(`wrote ${privatePath} (keep it secret) and ${publicPath}\n`);
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'sign') await sign(rest);
  else if (command === 'generate-key') generateKey(rest);
  else if (command === '--help' || command === '-h') process.stdout.write(help);
  else throw new Error(`${command === undefined ? 'a command is required' : `unknown command "${command}"`}: use sign or generate-key\n\n${help}`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
