import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizePairingCode, pairResponseSchema, type EdgePublicKey } from '@simtestlab/sync';
import { exportJWK, generateKeyPair } from 'jose';
import { writeAuditEntry } from '../audit/audit-log';
import { credentialExists, credentialPath, storeCredential, type CloudCredential } from '../cloud/credential';
import { HubClient } from '../cloud/hub-client';
import { requestPairing } from '../cloud/pair-request';
import { edgeSoftwareVersion } from '../cloud/software-version';
import { openDatabase } from '../store/database';

const help = `Usage: edge-node pair --cloud URL --code CODE [options]

Pairs this edge node with the cloud hub: generates an ES256 key pair, registers the public key with the
one-time pairing code an admin issued, and stores the private key in <data>/cloud-credential.json.

Options:
  --cloud URL     base URL of the cloud hub, such as https://ems.example.com (required)
  --code CODE     pairing code from the hub, XXXX-XXXX-XX; case, dashes and spaces do not matter (required)
  --data DIR      folder for the credential and the database (default: ./data)
  --force         replace an existing credential, for example to pair with a new code after a revocation
  -h, --help      show this help
`;

/** Parses the --cloud option into an http or https base URL. */
function parseCloudUrl(text: string): string {
  if (!URL.canParse(text)) throw new Error(`--cloud: "${text}" is not a URL; expected something like https://ems.example.com`);
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`--cloud: "${text}" must use http or https`);
  return url.origin;
}

async function createKeyPair(): Promise<{ publicKey: EdgePublicKey; privateJwk: CloudCredential['privateJwk'] }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  return {
    publicKey: { kty: 'EC', crv: 'P-256', x: publicJwk.x!, y: publicJwk.y! },
    privateJwk: { kty: 'EC', crv: 'P-256', x: privateJwk.x!, y: privateJwk.y!, d: privateJwk.d! },
  };
}

export async function runPairCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cloud: { type: 'string' },
      code: { type: 'string' },
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
  if (values.code === undefined) throw new Error(`--code is required\n\n${help}`);
  const cloudUrl = parseCloudUrl(values.cloud);
  const code = normalizePairingCode(values.code);
  if (code === null) throw new Error(`--code: "${values.code}" is not a pairing code; expected 10 letters and digits such as 7K3M-Q9TX-2B`);
  const dataDir = values.data;
  // Checked before the request, so a refused overwrite does not use up the one-time code.
  if (!values.force && credentialExists(dataDir)) {
    throw new Error(`this edge is already paired: ${credentialPath(dataDir)} exists; pass --force to pair again and replace it`);
  }

  const softwareVersion = edgeSoftwareVersion();
  const host = hostname();
  const keys = await createKeyPair();
  const paired = await requestPairing(cloudUrl, { code, publicKey: keys.publicKey, softwareVersion, hostname: host });
  const credential: CloudCredential = { cloudUrl, ...paired, privateJwk: keys.privateJwk, pairedAt: new Date().toISOString() };
  const path = storeCredential(dataDir, credential, { overwrite: values.force });

  const db = openDatabase(join(dataDir, 'edge.db'));
  try {
    writeAuditEntry(db, {
      actorType: 'cli',
      actorId: userInfo().username,
      action: 'edge.paired',
      targetType: 'edge_node',
      targetId: paired.edgeNodeId,
      details: { cloudUrl, organizationId: paired.organizationId, siteId: paired.siteId, siteName: paired.siteName, hostname: host, softwareVersion, replaced: values.force },
    });
  } finally {
    db.close();
  }

  const client = await HubClient.create(credential, { softwareVersion });
  let confirmed;
  try {
    confirmed = await client.getJson('/api/edge/me', pairResponseSchema);
  } catch (error) {
    throw new Error(`paired and stored ${path}, but the confirmation request to ${cloudUrl} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  process.stdout.write(
    `paired edge node ${confirmed.edgeNodeId} with site "${confirmed.siteName}" (${confirmed.siteId}, time zone ${confirmed.timeZone}) on ${cloudUrl}\n` +
      `credential stored in ${path}\n`,
  );
}
