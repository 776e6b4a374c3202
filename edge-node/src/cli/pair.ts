import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { credentialExists, credentialPath } from '../cloud/credential';
import { HubUnreachableError } from '../cloud/hub-errors';
import { pairEdge, parseCloudUrl, parsePairingCode } from '../setup/pair-edge';

const help = `Usage: edge-node pair --cloud URL (--code CODE | --code-file FILE) [options]

Pairs this edge node with the cloud hub: generates an ES256 key pair, registers the public key with the
one-time pairing code an admin issued, and stores the private key in <data>/cloud-credential.json.

Options:
  --cloud URL     base URL of the cloud hub, such as https://ems.example.com (required)
  --code CODE     pairing code from the hub, XXXX-XXXX-XX; case, dashes and spaces do not matter
  --code-file FILE
                  read the pairing code from FILE instead, such as the file "cloud seed-demo" writes
  --wait SECONDS  wait up to SECONDS for the code file to appear and for the hub to answer, retrying
                  every second (default: 0, one attempt)
  --if-unpaired   exit with 0 and a message when the data folder already contains a credential
  --data DIR      folder for the credential and the database (default: ./data)
  --force         replace an existing credential, for example to pair with a new code after a revocation
  -h, --help      show this help
`;

export async function runPairCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cloud: { type: 'string' },
      code: { type: 'string' },
      'code-file': { type: 'string' },
      wait: { type: 'string', default: '0' },
      'if-unpaired': { type: 'boolean', default: false },
      data: { type: 'string', default: './data' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  if (values.cloud === undefined) throw new Error(`--cloud is required\n\n${help}`);
  if ((values.code === undefined) === (values['code-file'] === undefined)) throw new Error(`pass one of --code and --code-file\n\n${help}`);
  if (values['if-unpaired'] && values.force) throw new Error(`--if-unpaired and --force contradict each other; pass one of them\n\n${help}`);
  const cloudUrl = parseCloudUrl(values.cloud, '--cloud');
  const waitS = parseWaitSeconds(values.wait);
  const dataDir = values.data;
  if (values['if-unpaired'] && credentialExists(dataDir)) {
    process.stdout.write(`already paired: ${credentialPath(dataDir)} exists; nothing to do\n`);
    return;
  }
  // Checked before the request, so a refused overwrite does not use up the one-time code.
  if (!values.force && credentialExists(dataDir)) {
    throw new Error(`this edge is already paired: ${credentialPath(dataDir)} exists; pass --force to pair again and replace it`);
  }

  const deadline = Date.now() + waitS * 1000;
  const code = values.code === undefined ? await readCodeFile(values['code-file']!, deadline) : parsePairingCode(values.code, '--code');
  const pair = () =>
    pairEdge({
      cloudUrl,
      code,
      dataDir,
      replace: values.force,
      audit: { actorType: 'cli', actorId: userInfo().username, action: 'edge.paired' },
    });
  const { confirmed, credentialPath: path } = await retryWhileUnreachable(pair, deadline, cloudUrl);
  process.stdout.write(
    `paired edge node ${confirmed.edgeNodeId} with site "${confirmed.siteName}" (${confirmed.siteId}, time zone ${confirmed.timeZone}) on ${cloudUrl}\n` +
      `credential stored in ${path}\n`,
  );
}

/** Parses --wait into whole seconds. */
function parseWaitSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) throw new Error(`--wait: invalid value "${text}", expected whole seconds from 0 to 3600`);
  return seconds;
}

/** Reads the pairing code from `path`, waiting until `deadline` (epoch ms) for the file to appear with content. */
async function readCodeFile(path: string, deadline: number): Promise<string> {
  for (;;) {
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`--code-file: cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
    if (text !== undefined && text !== '') return parsePairingCode(text, `--code-file ${path}`);
    if (Date.now() >= deadline) {
      throw new Error(`--code-file: ${path} ${text === undefined ? 'does not exist' : 'is empty'}; write the pairing code into it (such as with "cloud seed-demo --out DIR") or raise --wait`);
    }
    await sleep(1000);
  }
}

/** Runs the pairing request again every second while the hub cannot be reached, until `deadline` (epoch ms). */
async function retryWhileUnreachable<T>(attempt: () => Promise<T>, deadline: number, cloudUrl: string): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof HubUnreachableError) || Date.now() >= deadline) throw error;
      process.stderr.write(`the cloud hub at ${cloudUrl} is not reachable yet (${error.message}); retrying\n`);
      await sleep(1000);
    }
  }
}
