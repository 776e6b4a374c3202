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
import { UpdateRejectedError } from './update-errors';

/** The channel's signed manifest as the hub served it, with the edge protocol versions the hub serves. */
export interface OfferedRelease {
  signed: SignedReleaseManifest;
  hubProtocols: ProtocolRange;
}

/**
 * Reads the signed manifest of `channel` from the hub. A body that is not a signed manifest, one without
 * any signature included, is rejected with the first problem found.
 */
export async function fetchOfferedRelease(client: Pick<HubClient, 'request'>, channel: ReleaseChannel): Promise<OfferedRelease> {
  const response = await client.request(`/api/edge/releases/${channel}`);
  const body: unknown = await response.json();
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
 * download grows beyond the manifest's size, so a hub cannot fill the disk.
 * NOTE: the download has no timeout of its own; TimeoutStartSec of the update service ends a stalled one.
 */
export async function downloadArtifact(client: Pick<HubClient, 'request'>, channel: ReleaseChannel, artifact: ReleaseArtifact, path: string): Promise<DownloadedFile> {
  const response = await client.request(`/api/edge/releases/${channel}/artifacts/${encodeURIComponent(artifact.file)}`);
  if (response.body === null) throw new UpdateRejectedError(`the hub sent no body for artifact ${artifact.file}`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > artifact.size) {
        callback(new UpdateRejectedError(`artifact ${artifact.file} is larger than the ${artifact.size} bytes its manifest states; rejecting it`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  return { size, sha256: hash.digest('hex') };
}
