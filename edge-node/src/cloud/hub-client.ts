import { EDGE_REVOKED_CODE } from '@simtestlab/sync';
import type { CryptoKey } from 'jose';
import type { z } from 'zod';
import type { CloudCredential } from './credential';
import { importEdgePrivateKey, signEdgeAssertion } from './edge-assertion';
import { EdgeRevokedError, fetchHub, HubResponseError, readHubError, retryAfterSeconds } from './hub-errors';
import { edgeSoftwareVersion } from './software-version';

/** Header that carries the edge's software version on every request to the hub. */
export const SOFTWARE_VERSION_HEADER = 'X-Edge-Software-Version';

export interface HubClientOptions {
  softwareVersion?: string;
  /** Replaces the global fetch, for tests. */
  fetch?: typeof fetch;
  /** Clock in epoch ms for the assertion's `iat`, for tests. */
  now?: () => number;
}

/**
 * Calls the cloud hub as a paired edge: each request carries a freshly signed edge assertion and the
 * software version. A 401 with code `edge_revoked` becomes EdgeRevokedError, and any other error status
 * becomes HubResponseError.
 */
export class HubClient {
  private constructor(
    readonly credential: CloudCredential,
    private readonly privateKey: CryptoKey,
    private readonly softwareVersion: string,
    private readonly fetchImpl: typeof fetch,
    private readonly now: () => number,
  ) {}

  /** Creates a client from a loaded credential. */
  static async create(credential: CloudCredential, options: HubClientOptions = {}): Promise<HubClient> {
    const privateKey = await importEdgePrivateKey(credential.privateJwk);
    return new HubClient(credential, privateKey, options.softwareVersion ?? edgeSoftwareVersion(), options.fetch ?? fetch, options.now ?? Date.now);
  }

  /** Returns the headers of one hub request: a new assertion and the software version. */
  async headers(): Promise<Record<string, string>> {
    const assertion = await signEdgeAssertion(this.privateKey, this.credential.edgeNodeId, this.now());
    return { Authorization: `Bearer ${assertion}`, [SOFTWARE_VERSION_HEADER]: this.softwareVersion };
  }

  /** Resolves `path` against the hub URL of the credential. */
  url(path: string): URL {
    return new URL(path, this.credential.cloudUrl);
  }

  /** Sends a request to `path` on the hub and returns the response when its status is 2xx. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(await this.headers())) headers.set(name, value);
    const response = await fetchHub(this.fetchImpl, this.credential.cloudUrl, this.url(path), { ...init, headers });
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
