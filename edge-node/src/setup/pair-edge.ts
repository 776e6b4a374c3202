import { hostname } from 'node:os';
import { join } from 'node:path';
import { normalizePairingCode, pairResponseSchema, type EdgePublicKey, type PairResponse } from '@simtestlab/sync';
import { exportJWK, generateKeyPair } from 'jose';
import { writeAuditEntry, type AuditActorType } from '../audit/audit-log';
import { storeCredential, type CloudCredential } from '../cloud/credential';
import { HubClient } from '../cloud/hub-client';
import { PAIRING_TIMEOUT_MS, requestPairing } from '../cloud/pair-request';
import { edgeSoftwareVersion } from '../cloud/software-version';
import { openDatabase, type SqliteDatabase } from '../store/database';

/**
 * Pairing of an edge node with the cloud hub, shared by `edge-node pair` and the setup page's
 * `POST /api/setup/pair`.
 */

/** Input that is not a usable hub URL or pairing code; `field` names the option or body field. */
export class PairingInputError extends Error {
  override name = 'PairingInputError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Parses a hub URL into its http or https origin. Throws PairingInputError naming `field`. */
export function parseCloudUrl(text: string, field: string): string {
  if (!URL.canParse(text)) throw new PairingInputError(field, `"${text}" is not a URL; expected something like https://ems.example.com`);
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PairingInputError(field, `"${text}" must use http or https`);
  return url.origin;
}

/** Normalizes a pairing code (case, dashes and spaces do not matter). Throws PairingInputError naming `field`. */
export function parsePairingCode(text: string, field: string): string {
  const code = normalizePairingCode(text);
  if (code === null) throw new PairingInputError(field, `"${text}" is not a pairing code; expected 10 letters and digits such as 7K3M-Q9TX-2B`);
  return code;
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

export interface PairEdgeOptions {
  /** Hub origin, as `parseCloudUrl` returns it. */
  cloudUrl: string;
  /** Normalized code, as `parsePairingCode` returns it. */
  code: string;
  dataDir: string;
  /** Whether an existing credential is replaced; without it an existing one makes the store fail. */
  replace: boolean;
  /** Actor and action of the audit entry that records the pairing. */
  audit: { actorType: AuditActorType; actorId: string; action: string };
  /**
   * Open connection to the edge database for the audit entry. Without it, pairing opens `<data>/edge.db`
   * for the entry and closes it again.
   */
  database?: SqliteDatabase;
  /** Aborts the pairing. Once the hub has accepted the code, an abort still stops the credential from being stored. */
  signal?: AbortSignal;
  /** Time limit of each hub request; PAIRING_TIMEOUT_MS by default. */
  timeoutMs?: number;
}

export interface PairedEdge {
  /** The binding as the hub confirmed it with the new credential. */
  confirmed: PairResponse;
  /** Path of the stored credential. */
  credentialPath: string;
}

/**
 * Pairs this edge: generates an ES256 key pair, registers the public key with the one-time code,
 * stores the credential, writes the audit entry and confirms the binding with `GET /api/edge/me`.
 * Rejects with the HubResponseError or HubUnreachableError of the pairing request, or with an Error
 * that names the stored credential when only the confirmation failed.
 */
export async function pairEdge(options: PairEdgeOptions): Promise<PairedEdge> {
  const { cloudUrl, dataDir, signal } = options;
  const timeoutMs = options.timeoutMs ?? PAIRING_TIMEOUT_MS;
  const softwareVersion = edgeSoftwareVersion();
  const host = hostname();
  const keys = await createKeyPair();
  const paired = await requestPairing(cloudUrl, { code: options.code, publicKey: keys.publicKey, softwareVersion, hostname: host }, fetch, undefined, {
    signal,
    timeoutMs,
  });
  signal?.throwIfAborted();
  const credential: CloudCredential = { cloudUrl, ...paired, privateJwk: keys.privateJwk, pairedAt: new Date().toISOString() };
  const path = storeCredential(dataDir, credential, { overwrite: options.replace });

  const db = options.database ?? openDatabase(join(dataDir, 'edge.db'));
  try {
    writeAuditEntry(db, {
      actorType: options.audit.actorType,
      actorId: options.audit.actorId,
      action: options.audit.action,
      targetType: 'edge_node',
      targetId: paired.edgeNodeId,
      details: { cloudUrl, organizationId: paired.organizationId, siteId: paired.siteId, siteName: paired.siteName, hostname: host, softwareVersion, replaced: options.replace },
    });
  } finally {
    if (options.database === undefined) db.close();
  }

  const client = await HubClient.create(credential, { softwareVersion });
  try {
    const response = await client.request('/api/edge/me', { signal: AbortSignal.timeout(timeoutMs) });
    return { confirmed: pairResponseSchema.parse(await response.json()), credentialPath: path };
  } catch (error) {
    throw new Error(`paired and stored ${path}, but the confirmation request to ${cloudUrl} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
