import { z } from 'zod';
import { isSemver } from './semver';

/** Release channels an edge can follow. */
export const releaseChannelSchema = z.enum(['stable', 'beta']);
export type ReleaseChannel = z.infer<typeof releaseChannelSchema>;

/** CPU architectures a release is built for, named as Node's `process.arch`. */
export const releaseArchSchema = z.enum(['x64', 'arm64']);
export type ReleaseArch = z.infer<typeof releaseArchSchema>;

/**
 * File name of an artifact: one path segment of letters, digits, `.`, `_` and `-`, not starting with a
 * dot, so a manifest can never name a file outside the releases folder.
 */
export const artifactFileNameSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/, 'expected a plain file name such as simtestlab-edge-1.2.0-linux-x64.tar.gz');

const semverSchema = z.string().refine(isSemver, 'expected a semantic version such as 1.4.2 or 1.5.0-beta.1');

/** One downloadable release tarball. */
export const releaseArtifactSchema = z.strictObject({
  arch: releaseArchSchema,
  file: artifactFileNameSchema,
  /** Size of the file in bytes. */
  size: z.number().int().positive(),
  /** SHA-256 of the file, lowercase hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
});
export type ReleaseArtifact = z.infer<typeof releaseArtifactSchema>;

/** Signed description of a release: its version, channel, edge-hub protocol and artifacts. */
export const releaseManifestSchema = z.strictObject({
  schema: z.literal(1),
  channel: releaseChannelSchema,
  version: semverSchema,
  /** Edge-hub protocol version the release's edge speaks (EDGE_HUB_PROTOCOL_VERSION of its build). */
  protocolVersion: z.number().int().positive(),
  /** ISO 8601 time the release was signed. */
  releasedAt: z.iso.datetime({ offset: true }),
  artifacts: z
    .array(releaseArtifactSchema)
    .min(1)
    .refine((artifacts) => new Set(artifacts.map((artifact) => artifact.arch)).size === artifacts.length, 'each arch may appear once'),
  notes: z.string().max(10_000).optional(),
});
export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;

/** One signature over the manifest's canonical bytes. */
export const releaseSignatureSchema = z.strictObject({
  /** Name of the public key that verifies it: the key file's name without `.pub`. */
  keyId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'expected a key name of letters, digits, ".", "_" and "-"'),
  /** Base64 ed25519 signature over `canonicalManifestBytes(manifest)`. */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'expected a base64 ed25519 signature (64 bytes)'),
});
export type ReleaseSignature = z.infer<typeof releaseSignatureSchema>;

/** The file `<channel>.manifest.json` the release tool writes and the hub serves unchanged. */
export const signedReleaseManifestSchema = z.strictObject({
  manifest: releaseManifestSchema,
  signatures: z.array(releaseSignatureSchema).min(1),
});
export type SignedReleaseManifest = z.infer<typeof signedReleaseManifestSchema>;

/** File name of a channel's signed manifest inside the releases folder. */
export function manifestFileName(channel: ReleaseChannel): string {
  return `${channel}.manifest.json`;
}

/** Orders two strings by UTF-16 code units, as JavaScript's `<` does, independent of the locale. */
function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Serializes `value` as JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`canonical JSON cannot contain ${value}`);
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error(`canonical JSON cannot contain a value of type ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => compareCodeUnits(a, b));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/**
 * Returns the bytes a release signature covers: the manifest as canonical JSON in UTF-8. The same manifest gives
 * the same bytes whatever the key order or whitespace of the file it was read from.
 */
export function canonicalManifestBytes(manifest: ReleaseManifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson(releaseManifestSchema.parse(manifest)));
}
