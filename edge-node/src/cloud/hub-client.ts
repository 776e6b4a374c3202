import { EDGE_REVOKED_CODE, PROTOCOL_MISMATCH_STATUS } from '@simtestlab/sync';
import type { CryptoKey } from 'jose';
import type { z } from 'zod';
import type { CloudCredential } from './credential';
import { importEdgePrivateKey, signEdgeAssertion } from './edge-assertion';
import { EdgeRevokedError, fetchHub, HubResponseError, readHubError, retryAfterSeconds } from './hub-errors';
import { CURRENT_EDGE_PROTOCOL, edgeProtocolHeaders, findProtocolMismatch, type EdgeProtocol, type ProtocolMismatchError } from './hub-protocol';
import { edgeSoftwareVersion } from './software-version';

/** Header that carries the edge's software version on every request to the hub. */
export const SOFTWARE_VERSION_HEADER = 'X-Edge-Software-Version';

export interface HubClientOptions {
  softwareVersion?: string;
  /** Replaces the global fetch, for tests. */
  fetch?: typeof fetch;
  /** Clock in epoch ms for the assertion's `iat`, for tests. */
  now?: () => number;
  /** Edge-hub protocol to announce; tests force an incompatible one. */
  protocol?: EdgeProtocol;
  /** Called once, on the first response that shows the hub and this edge cannot talk. */
  onProtocolMismatch?: (error: ProtocolMismatchError) => void;
}

/** Settings of one hub request. */
export interface HubRequestOptions {
  /** False skips the hub protocol range check of the response; a 426 is still an error. Default true. */
  checkProtocol?: boolean;
}

/**
 * Calls the cloud hub as a paired edge: each request carries a freshly signed edge assertion, the
 * software version and the edge-hub protocol version. A 401 with code `edge_revoked` becomes
 * EdgeRevokedError, a 426 or a hub of an unsupported protocol ProtocolMismatchError, and any other error
 * status HubResponseError.
 */
export class HubClient {
  /** The first protocol mismatch a hub response showed, or null while the versions match. */
  protocolMismatch: ProtocolMismatchError | null = null;

  private constructor(
    readonly credential: CloudCredential,
    private readonly privateKey: CryptoKey,
    private readonly softwareVersion: string,
    private readonly fetchImpl: typeof fetch,
    private readonly now: () => number,
    readonly protocol: EdgeProtocol,
    private readonly onProtocolMismatch: ((error: ProtocolMismatchError) => void) | undefined,
  ) {}

  /** Creates a client from a loaded credential. */
  static async create(credential: CloudCredential, options: HubClientOptions = {}): Promise<HubClient> {
    const privateKey = await importEdgePrivateKey(credential.privateJwk);
    return new HubClient(
      credential,
      privateKey,
      options.softwareVersion ?? edgeSoftwareVersion(),
      options.fetch ?? fetch,
      options.now ?? Date.now,
      options.protocol ?? CURRENT_EDGE_PROTOCOL,
      options.onProtocolMismatch,
    );
  }

  /** Returns the headers of one hub request: a new assertion, the software version and the protocol version. */
  async headers(): Promise<Record<string, string>> {
    const assertion = await signEdgeAssertion(this.privateKey, this.credential.edgeNodeId, this.now());
    return { Authorization: `Bearer ${assertion}`, [SOFTWARE_VERSION_HEADER]: this.softwareVersion, ...edgeProtocolHeaders(this.protocol) };
  }

  /**
   * Returns the protocol mismatch `response` shows, or null. The first one is kept in
   * `protocolMismatch` and reported to `onProtocolMismatch`.
   */
  async checkProtocol(response: Response): Promise<ProtocolMismatchError | null> {
    const mismatch = await findProtocolMismatch(response, this.credential.cloudUrl, this.protocol);
    if (mismatch !== null && this.protocolMismatch === null) {
      this.protocolMismatch = mismatch;
      this.onProtocolMismatch?.(mismatch);
    }
    return mismatch;
  }

  /** Returns the mismatch of a 426 response, or null for any other status, without recording it. */
  private async findRejection(response: Response): Promise<ProtocolMismatchError | null> {
    if (response.status !== PROTOCOL_MISMATCH_STATUS) return null;
    return findProtocolMismatch(response, this.credential.cloudUrl, this.protocol);
  }

  /** Resolves `path` against the hub URL of the credential. */
  url(path: string): URL {
    return new URL(path, this.credential.cloudUrl);
  }

  /**
   * Sends a request to `path` on the hub and returns the response when its status is 2xx. With
   * `checkProtocol: false`, a hub protocol outside this edge's range is accepted and not recorded in
   * `protocolMismatch`: the updater reads releases that way, because installing one is how an edge
   * leaves a mismatch. A 426 still raises ProtocolMismatchError.
   */
  async request(path: string, init: RequestInit = {}, options: HubRequestOptions = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(await this.headers())) headers.set(name, value);
    const response = await fetchHub(this.fetchImpl, this.credential.cloudUrl, this.url(path), { ...init, headers });
    const mismatch = options.checkProtocol === false ? await this.findRejection(response) : await this.checkProtocol(response);
    if (mismatch !== null) {
      await response.body?.cancel();
      throw mismatch;
    }
    if (response.ok) return response;

    const { code, message } = await readHubError(response);
    if (response.status === 401 && code === EDGE_REVOKED_CODE) {
      throw new EdgeRevokedError(
        response.status,
        code,
        `the cloud hub at ${this.credential.cloudUrl} revoked edge node ${this.credential.edgeNodeId}; ask an admin for a new pairing code and run "edge-node pair --force"`,
      );
    }
    throw new HubResponseError(response.status, code, `cloud hub ${init.method ?? 'GET'} ${path} failed with ${response.status}: ${message}`, retryAfterSeconds(response));
  }

  /** GETs `path` and parses its JSON body with `schema`. */
  async getJson<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>> {
    const response = await this.request(path);
    return schema.parse(await response.json());
  }
}
