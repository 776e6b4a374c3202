import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalManifestBytes, compareSemver, isSemver, releaseManifestSchema, signedReleaseManifestSchema, type ReleaseManifest } from '../../src/index';

const manifest: ReleaseManifest = {
  schema: 1,
  channel: 'stable',
  version: '1.2.0',
  protocolVersion: 1,
  releasedAt: '2026-12-01T10:00:00.000Z',
  artifacts: [{ arch: 'x64', file: 'simtestlab-edge-1.2.0-linux-x64.tar.gz', size: 1234, sha256: 'a'.repeat(64) }],
};

describe('semver comparison', () => {
  it.each([
    ['1.0.0', '1.0.0', 0],
    ['1.0.0', '1.0.1', -1],
    ['1.10.0', '1.9.9', 1],
    ['2.0.0', '10.0.0', -1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-rc.1', '1.0.0-beta.11', 1],
    ['1.0.0+build.5', '1.0.0+build.7', 0],
  ])('compares %s with %s as %i', (a, b, expected) => {
    expect(compareSemver(a, b)).toBe(expected);
    expect(compareSemver(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  it.each(['1.0', 'v1.0.0', '01.0.0', '1.0.0-', '1.0.0-01', ''])('rejects %j', (text) => {
    expect(isSemver(text)).toBe(false);
    expect(() => compareSemver(text, '1.0.0')).toThrow(`"${text}" is not a semantic version`);
  });
});

describe('release manifest', () => {
  it('accepts a valid manifest', () => {
    expect(releaseManifestSchema.parse(manifest)).toEqual(manifest);
  });

  it.each([
    ['a path in the file name', { file: '../etc/passwd' }],
    ['a hidden file', { file: '.env' }],
    ['an uppercase checksum', { sha256: 'A'.repeat(64) }],
    ['an unknown arch', { arch: 'riscv64' }],
  ])('rejects %s', (_case, change) => {
    const artifacts = [{ ...manifest.artifacts[0]!, ...change }];
    expect(releaseManifestSchema.safeParse({ ...manifest, artifacts }).success).toBe(false);
  });

  it('rejects two artifacts of one arch', () => {
    const artifacts = [manifest.artifacts[0]!, { ...manifest.artifacts[0]!, file: 'other.tar.gz' }];
    expect(releaseManifestSchema.safeParse({ ...manifest, artifacts }).success).toBe(false);
  });

  it('rejects a version that is not semver', () => {
    expect(releaseManifestSchema.safeParse({ ...manifest, version: '1.2' }).success).toBe(false);
  });

  it('requires a signature in the envelope', () => {
    expect(signedReleaseManifestSchema.safeParse({ manifest, signatures: [] }).success).toBe(false);
  });
});

describe('canonical bytes', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 'x' }], a: null })).toBe('{"a":null,"b":[{"a":"x","z":1}]}');
  });

  it('gives the same bytes for any key order', () => {
    const reversed = Object.fromEntries(Object.entries(manifest).reverse());
    const reordered = JSON.parse(JSON.stringify(reversed)) as ReleaseManifest;
    expect(Object.keys(reordered)[0]).toBe('artifacts');
    expect(Buffer.from(canonicalManifestBytes(reordered)).toString('utf8')).toBe(Buffer.from(canonicalManifestBytes(manifest)).toString('utf8'));
  });

  it('changes when a field changes', () => {
    const changed = { ...manifest, version: '1.2.1' };
    expect(Buffer.from(canonicalManifestBytes(changed)).equals(Buffer.from(canonicalManifestBytes(manifest)))).toBe(false);
  });
});
