import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  parseProtocolRangeHeader,
  PROTOCOL_RANGE_HEADER,
  signedReleaseManifestSchema,
  type ProtocolRange,
  type ReleaseArtifact,
  type ReleaseChannel,
  type SignedReleaseManifest,
} from '@simtestlab/sync';
import type { HubClient } from '../cloud/hub-client';
import { HubResponseError, HubUnreachableError } from '../cloud/hub-errors';
import { UpdateRejectedError } from './update-errors';

/** The channel's signed manifest as the hub served it, with the edge protocol versions the hub serves. */
export interface OfferedRelease {
  signed: SignedReleaseManifest;
  hubProtocols: ProtocolRange;
}

/** Limits of the release requests. */
export interface ReleaseFetchLimits {
  /** Largest manifest body accepted, in bytes. A signed manifest is a few kB. */
  manifestMaxBytes: number;
  /** Time the hub has to send the whole manifest, in ms. */
  manifestTimeoutMs: number;
  /** Time a download may go without receiving a byte, in ms. */
  downloadIdleTimeoutMs: number;
}

export const DEFAULT_RELEASE_FETCH_LIMITS: ReleaseFetchLimits = {
  manifestMaxBytes: 1024 * 1024,
  manifestTimeoutMs: 30_000,
  downloadIdleTimeoutMs: 60_000,
};

/** The hub client calls of the updater. */
export type ReleaseHubClient = Pick<HubClient, 'request'>;

/** Returns the URL a response came from, or the request path when the response carries none. */
function sourceOf(response: Response, path: string): string {
  return response.url === '' ? path : response.url;
}

/**
 * Reads the manifest body as text, counting bytes as they arrive so an endless body stops at the limit.
 * A body cut off by the connection raises HubUnreachableError, which is retryable.
 */
async function readManifestText(response: Response, source: string, limits: ReleaseFetchLimits): Promise<string> {
  if (response.body === null) throw new UpdateRejectedError(`the hub sent an empty response for the release manifest at ${source}; check that the hub publishes releases`);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.manifestMaxBytes) {
        await reader.cancel();
        throw new UpdateRejectedError(
          `the release manifest at ${source} is larger than ${limits.manifestMaxBytes} bytes; rejecting it (a signed manifest is a few kB: check what the hub or a proxy serves there)`,
        );
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof UpdateRejectedError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HubUnreachableError(`reading the release manifest at ${source} failed after ${size} bytes (${reason}); try again later`, { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses the manifest body as JSON, with distinct errors for an HTML page and a cut-off body. */
function parseManifestJson(text: string, response: Response, source: string): unknown {
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('text/html') || /^\s*</.test(text)) {
    throw new UpdateRejectedError(
      `the hub returned an HTML page instead of the release manifest at ${source}; a proxy or login page may answer there: check the cloud URL of this edge`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UpdateRejectedError(
      `the release manifest at ${source} is not valid JSON (${text.length} characters, possibly cut off: ${(error as Error).message}); try again, and if it persists publish the manifest again`,
      { cause: error },
    );
  }
}

/**
 * Reads the signed manifest of `channel` from the hub. The request skips the hub protocol range check,
 * because the manifest's own `protocolVersion` is compared with the range the hub serves before anything
 * is installed. A body that is not a signed manifest, one without any signature included, is rejected
 * with the first problem found.
 */
export async function fetchOfferedRelease(client: ReleaseHubClient, channel: ReleaseChannel, limits: ReleaseFetchLimits = DEFAULT_RELEASE_FETCH_LIMITS): Promise<OfferedRelease> {
  const path = `/api/edge/releases/${channel}`;
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    deadline.abort(
      new HubUnreachableError(`the cloud hub did not send the release manifest ${path} within ${limits.manifestTimeoutMs / 1000} s; check the network and the hub, then try again`),
    );
  }, limits.manifestTimeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await client.request(path, { signal: deadline.signal }, { checkProtocol: false });
    text = await readManifestText(response, sourceOf(response, path), limits);
  } catch (error) {
    if (deadline.signal.aborted) throw deadline.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const source = sourceOf(response, path);
  const body = parseManifestJson(text, response, source);
  if (body === null) throw new UpdateRejectedError(`the hub sent null instead of the ${channel} release manifest at ${source}; rejecting it`);
  const parsed = signedReleaseManifestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.');
    if (where === 'signatures' || where === '') {
      const signatures = (body as { signatures?: unknown } | null)?.signatures;
      if (!Array.isArray(signatures) || signatures.length === 0) throw new UpdateRejectedError(`the ${channel} release manifest from the hub is unsigned; rejecting it`);
    }
    throw new UpdateRejectedError(`the ${channel} release manifest from the hub is invalid at "${where}": ${issue.message}; rejecting it`);
  }
  if (parsed.data.manifest.channel !== channel) {
    throw new UpdateRejectedError(`the hub served a manifest of channel ${parsed.data.manifest.channel} for channel ${channel}; rejecting it`);
  }
  const hubProtocols = parseProtocolRangeHeader(response.headers.get(PROTOCOL_RANGE_HEADER)) ?? { min: 1, max: 1 };
  return { signed: parsed.data, hubProtocols };
}

/** Size and SHA-256 of a downloaded file. */
export interface DownloadedFile {
  size: number;
  sha256: string;
}

/**
 * Streams an artifact from the hub into `path`, hashing it on the way. Stops with UpdateRejectedError once the
 * download grows beyond the manifest's size, so a hub cannot fill the disk, and with HubUnreachableError
 * when no byte arrives for `downloadIdleTimeoutMs`. Like the manifest, the download skips the hub
 * protocol range check.
 */
export async function downloadArtifact(
  client: ReleaseHubClient,
  channel: ReleaseChannel,
  artifact: ReleaseArtifact,
  path: string,
  limits: ReleaseFetchLimits = DEFAULT_RELEASE_FETCH_LIMITS,
): Promise<DownloadedFile> {
  const requestPath = `/api/edge/releases/${channel}/artifacts/${encodeURIComponent(artifact.file)}`;
  const idle = new AbortController();
  let source = requestPath;
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const restartIdleTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle.abort(
        new HubUnreachableError(
          `the download of ${source} stalled: no data for ${limits.downloadIdleTimeoutMs / 1000} s after ${size} of ${artifact.size} bytes; check the network and the hub, then run the update again`,
        ),
      );
    }, limits.downloadIdleTimeoutMs);
  };
  restartIdleTimer();
  try {
    const response = await client.request(requestPath, { signal: idle.signal }, { checkProtocol: false });
    source = sourceOf(response, requestPath);
    if (response.body === null) throw new UpdateRejectedError(`the hub sent no body for artifact ${artifact.file} at ${source}; check the releases folder of the hub`);
    if ((response.headers.get('content-type') ?? '').includes('text/html')) {
      await response.body.cancel();
      throw new UpdateRejectedError(`the hub returned an HTML page instead of artifact ${artifact.file} at ${source}; a proxy or login page may answer there: check the cloud URL of this edge`);
    }
    const hash = createHash('sha256');
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        restartIdleTimer();
        size += chunk.length;
        if (size > artifact.size) {
          callback(new UpdateRejectedError(`artifact ${artifact.file} at ${source} is larger than the ${artifact.size} bytes its manifest states; rejecting it`));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    return { size, sha256: hash.digest('hex') };
  } catch (error) {
    if (idle.signal.aborted) throw idle.signal.reason;
    if (error instanceof UpdateRejectedError || error instanceof HubResponseError || error instanceof HubUnreachableError || size === 0) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HubUnreachableError(`the download of ${source} broke off after ${size} of ${artifact.size} bytes (${reason}); run the update again`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
