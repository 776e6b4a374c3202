import { constants } from 'node:fs';
import { open, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { artifactFileNameSchema, manifestFileName, signedReleaseManifestSchema, type ReleaseChannel, type ReleaseArtifact, type SignedReleaseManifest } from '@simtestlab/sync';
import type { FileHandle } from 'node:fs/promises';
import { HttpError } from '../api/http-error';

/**
 * Reads the signed manifest of `channel` from the releases folder, as the release tool wrote it. The hub
 * checks its form only; edges verify the signatures against their own trusted keys.
 */
export async function readChannelManifest(releasesDir: string, channel: ReleaseChannel): Promise<SignedReleaseManifest> {
  const path = join(releasesDir, manifestFileName(channel));
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new HttpError(404, 'no_release', `no release is published on channel ${channel}`);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`release manifest ${path} is not valid JSON; publish it again with the release tool`, { cause: error });
  }
  const parsed = signedReleaseManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`release manifest ${path} is invalid at "${issue.path.join('.')}": ${issue.message}; publish it again with the release tool`);
  }
  if (parsed.data.manifest.channel !== channel) {
    throw new Error(`release manifest ${path} is for channel ${parsed.data.manifest.channel}, not ${channel}; publish it again with the release tool`);
  }
  return parsed.data;
}

/** An artifact file opened for streaming, with the manifest entry that names it. */
export interface OpenedArtifact {
  artifact: ReleaseArtifact;
  handle: FileHandle;
  size: number;
}

/**
 * Opens an artifact that the channel's manifest names. A name that is not a plain file name gets 400,
 * and one the manifest does not list gets 404, so no request reaches a file outside the releases folder.
 * The file's real path must also lie in that folder, which rules out a symbolic link pointing elsewhere.
 */
export async function openArtifact(releasesDir: string, manifest: SignedReleaseManifest, file: string): Promise<OpenedArtifact> {
  if (!artifactFileNameSchema.safeParse(file).success) {
    throw new HttpError(400, 'invalid_artifact_name', `artifact name "${file.slice(0, 100)}" is not a plain file name; use a file name from the release manifest`, { parameter: 'file' });
  }
  const artifact = manifest.manifest.artifacts.find((entry) => entry.file === file);
  if (artifact === undefined) throw new HttpError(404, 'not_found', `artifact ${file} is not part of release ${manifest.manifest.version} on channel ${manifest.manifest.channel}`);

  const folder = await realpath(releasesDir);
  let path: string;
  try {
    path = await realpath(join(folder, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HttpError(404, 'not_found', `artifact ${file} of release ${manifest.manifest.version} is missing from the releases folder; copy it next to the manifest`);
    }
    throw error;
  }
  if (dirname(path) !== folder) throw new HttpError(404, 'not_found', `artifact ${file} is not inside the releases folder`);
  const handle = await open(path, constants.O_RDONLY);
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new HttpError(404, 'not_found', `artifact ${file} is not a regular file`);
  }
  return { artifact, handle, size: stats.size };
}
