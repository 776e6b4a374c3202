import { parseArgs } from 'node:util';
import type { ReleaseChannel } from '@simtestlab/sync';
import { loadCredential } from '../cloud/credential';
import { HubClient } from '../cloud/hub-client';
import { createLogger } from '../logger';
import { DEFAULT_INSTALL_ROOT, InstallLayout } from '../update/install-layout';
import { DEFAULT_KEYS_DIR } from '../update/release-signature';
import { applyUpdate, DEFAULT_HEALTH_TIMEOUT_MS, DEFAULT_HEALTH_URL, DEFAULT_RESTART_COMMAND } from '../update/update-apply';
import { writeUpdateAudit } from '../update/update-audit';
import { checkForUpdate, type UpdateOffer } from '../update/update-check';
import { parseChannel, readUpdateChannel, UPDATE_CHANNEL_FILE } from '../update/update-state';

const help = `Usage: edge-node update check|apply [options]

Updates this edge node to the signed release its cloud hub offers on the release channel.

  check   print the running and the offered version and whether the manifest's signature verifies
  apply   download, verify and install the offered release, restart the node and wait until it reports
          the new version; without that in time, restore the previous release and record the failure,
          so the timer does not try that version again

Options:
  --data DIR               data folder with the hub credential (default: ./data)
  --install-root DIR       folder with releases/<version>/ and the current symlink
                           (default: ${DEFAULT_INSTALL_ROOT})
  --channel NAME           stable or beta (default: the word in <data>/${UPDATE_CHANNEL_FILE}, else stable)
  --keys-dir DIR           folder of the trusted ed25519 public keys, <key id>.pub
                           (default: ${DEFAULT_KEYS_DIR})
  --restart-command CMD    shell command that restarts the node (default: ${DEFAULT_RESTART_COMMAND})
  --health-url URL         health endpoint that reports the running version (default: ${DEFAULT_HEALTH_URL})
  --health-timeout SECONDS time the new release has to report its version (default: ${DEFAULT_HEALTH_TIMEOUT_MS / 1000})
  --allow-downgrade        install an offered release older than the running one
  --retry-failed           install a version even though an earlier attempt was rolled back
  -h, --help               show this help
`;

/** Parses --health-timeout as whole seconds from 1 to 3600, in ms. */
function parseHealthTimeout(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) throw new Error(`--health-timeout: invalid value "${text}", expected whole seconds from 1 to 3600`);
  return seconds * 1000;
}

/** Describes an offer in the lines `update check` prints. */
function describeOffer(offer: UpdateOffer): string {
  const { manifest } = offer;
  let verdict = 'an update is available';
  if (offer.order === 0) verdict = 'this node runs the offered version';
  if (offer.order < 0) verdict = 'the offered version is older than the running one';
  const lines = [
    `channel:    ${offer.channel}`,
    `running:    ${offer.currentVersion}`,
    `offered:    ${manifest.version} (released ${manifest.releasedAt}, edge protocol ${manifest.protocolVersion})`,
    `signature:  ${offer.verifiedBy === null ? `NOT verified: ${offer.signatureProblem}` : `verified with key ${offer.verifiedBy}`}`,
    ...(offer.protocolProblem === null ? [] : [`protocol:   ${offer.protocolProblem}`]),
    `result:     ${verdict}`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function runUpdateCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string', default: './data' },
      'install-root': { type: 'string', default: DEFAULT_INSTALL_ROOT },
      channel: { type: 'string' },
      'keys-dir': { type: 'string', default: DEFAULT_KEYS_DIR },
      'restart-command': { type: 'string', default: DEFAULT_RESTART_COMMAND },
      'health-url': { type: 'string', default: DEFAULT_HEALTH_URL },
      'health-timeout': { type: 'string' },
      'allow-downgrade': { type: 'boolean', default: false },
      'retry-failed': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const [action, ...extra] = positionals;
  if (action !== 'check' && action !== 'apply') throw new Error(`${action === undefined ? 'a subcommand is required' : `unknown subcommand "${action}"`}: use check or apply\n\n${help}`);
  if (extra.length > 0) throw new Error(`unexpected argument "${extra[0]}"\n\n${help}`);
  if (!URL.canParse(values['health-url'])) throw new Error(`--health-url: "${values['health-url']}" is not a URL; expected something like ${DEFAULT_HEALTH_URL}`);

  const healthTimeoutMs = values['health-timeout'] === undefined ? DEFAULT_HEALTH_TIMEOUT_MS : parseHealthTimeout(values['health-timeout']);
  const dataDir = values.data;
  const channel: ReleaseChannel = values.channel === undefined ? readUpdateChannel(dataDir) : parseChannel(values.channel, '--channel');
  const client = await HubClient.create(loadCredential(dataDir));
  const source = { client, channel, keysDir: values['keys-dir'], layout: new InstallLayout(values['install-root']) };

  if (action === 'check') {
    const offer = await checkForUpdate(source);
    process.stdout.write(describeOffer(offer));
    if (offer.order > 0 && offer.verifiedBy !== null) {
      writeUpdateAudit(dataDir, 'update.available', offer.manifest.version, { running: offer.currentVersion, channel, keyId: offer.verifiedBy });
    }
    return;
  }

  const result = await applyUpdate({
    ...source,
    dataDir,
    arch: process.arch,
    allowDowngrade: values['allow-downgrade'],
    retryFailed: values['retry-failed'],
    restartCommand: values['restart-command'],
    healthUrl: values['health-url'],
    healthTimeoutMs,
    logger: createLogger({ name: 'edge-updater' }),
  });
  if (result.outcome === 'applied') process.stdout.write(`updated from ${result.from} to ${result.to} on channel ${channel}\n`);
  else if (result.outcome === 'up-to-date') process.stdout.write(`already running ${result.version}, the current release on channel ${channel}\n`);
  else process.stdout.write(`skipping ${result.version}: it was rolled back before (${result.reason}); run with --retry-failed to try it again\n`);
}
