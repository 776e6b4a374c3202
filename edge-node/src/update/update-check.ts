import type { KeyObject } from 'node:crypto';
import { checkEdgeProtocol, compareSemver, describeProtocolRange, type ReleaseChannel, type ReleaseManifest } from '@simtestlab/sync';
import type { HubClient } from '../cloud/hub-client';
import { edgeSoftwareVersion } from '../cloud/software-version';
import type { InstallLayout } from './install-layout';
import { fetchOfferedRelease } from './release-client';
import { loadTrustedKeys, verifyManifestSignatures } from './release-signature';
import { UpdateRejectedError } from './update-errors';

/** Hub, channel, trusted keys and install root of an update. */
export interface UpdateSource {
  client: Pick<HubClient, 'request'>;
  channel: ReleaseChannel;
  keysDir: string;
  layout: InstallLayout;
}

/** Release the hub offers, compared with the running one. */
export interface UpdateOffer {
  channel: ReleaseChannel;
  currentVersion: string;
  manifest: ReleaseManifest;
  /** Key that verified the signature, or null when verification failed. */
  verifiedBy: string | null;
  /** Reason the signature did not verify, or null when it did. */
  signatureProblem: string | null;
  /** Reason the hub cannot serve an edge of this release's protocol, or null when it can. */
  protocolProblem: string | null;
  /** Order of the offered version against the current one: 1 newer, 0 same, -1 older. */
  order: -1 | 0 | 1;
}

/**
 * Returns the running release's version: the VERSION of the release `current` points at, or this
 * program's own version outside a packaged install.
 */
export function currentReleaseVersion(layout: InstallLayout): string {
  return layout.currentVersion() ?? edgeSoftwareVersion();
}

/** Fetches the channel's release and checks its signature against the trusted keys, without installing anything. */
export async function checkForUpdate(source: UpdateSource, trustedKeys: ReadonlyMap<string, KeyObject> = loadTrustedKeys(source.keysDir)): Promise<UpdateOffer> {
  const { signed, hubProtocols } = await fetchOfferedRelease(source.client, source.channel);
  const { manifest } = signed;
  let verifiedBy: string | null = null;
  let signatureProblem: string | null = null;
  try {
    verifiedBy = verifyManifestSignatures(signed, trustedKeys, source.keysDir);
  } catch (error) {
    if (!(error instanceof UpdateRejectedError)) throw error;
    signatureProblem = error.message;
  }
  const protocol = checkEdgeProtocol(manifest.protocolVersion, hubProtocols);
  const protocolProblem = protocol.compatible
    ? null
    : `release ${manifest.version} speaks edge protocol ${manifest.protocolVersion}, but the hub serves ${describeProtocolRange(hubProtocols)}; ` +
      (protocol.update === 'hub' ? 'update the hub before installing this release' : 'the hub no longer serves edges of that release');
  const currentVersion = currentReleaseVersion(source.layout);
  return { channel: source.channel, currentVersion, manifest, verifiedBy, signatureProblem, protocolProblem, order: compareSemver(manifest.version, currentVersion) };
}
