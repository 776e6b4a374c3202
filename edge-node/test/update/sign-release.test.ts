import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { signedReleaseManifestSchema } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustedKeys, verifyManifestSignatures } from '../../src/update/release-signature';
import { buildTarball } from './support/test-releases';

const execFileAsync = promisify(execFile);
const EDGE_NODE_DIR = resolve(import.meta.dirname, '../..');
const TSX = join(EDGE_NODE_DIR, 'node_modules/.bin/tsx');

let workDir: string;

/** Runs the release tool and returns its exit code and output. */
async function runTool(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(TSX, ['packaging/sign-release.ts', ...args], { cwd: EDGE_NODE_DIR, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'sign-release-'));
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('sign-release tool', { timeout: 60_000 }, () => {
  it('generates a key pair and signs a verifiable manifest', async () => {
    const keys = join(workDir, 'keys');
    const generated = await runTool('generate-key', '--out', keys, '--name', 'ci-test');
    expect(generated.code).toBe(0);
    expect(statSync(join(keys, 'ci-test.pem')).mode & 0o777).toBe(0o600);

    const tarballs = [await buildTarball(workDir, workDir, '2.0.0', 'x64'), await buildTarball(workDir, workDir, '2.0.0', 'arm64')];
    const signed = await runTool('sign', '--key', join(keys, 'ci-test.pem'), '--channel', 'beta', '--version', '2.0.0', '--notes', 'test release', ...tarballs);
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);

    const manifest = signedReleaseManifestSchema.parse(JSON.parse(readFileSync(join(workDir, 'beta.manifest.json'), 'utf8')));
    expect(manifest.manifest.artifacts.map((artifact) => [artifact.arch, artifact.size])).toEqual([
      ['x64', statSync(tarballs[0]!).size],
      ['arm64', statSync(tarballs[1]!).size],
    ]);
    expect(manifest.manifest.notes).toBe('test release');
    expect(verifyManifestSignatures(manifest, loadTrustedKeys(keys), keys)).toBe('ci-test');
  });

  it('rejects a tarball whose name has no arch', async () => {
    const tarball = join(workDir, 'edge.tar.gz');
    writeFileSync(tarball, 'bytes');
    const result = await runTool('sign', '--key', join(workDir, 'keys', 'ci-test.pem'), '--channel', 'stable', '--version', '2.0.0', tarball);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${tarball}: cannot tell the arch from the name`);
  });

  it('rejects a tarball of another version', async () => {
    const tarball = await buildTarball(workDir, join(workDir, 'keys'), '2.0.1', 'x64');
    const result = await runTool('sign', '--key', join(workDir, 'keys', 'ci-test.pem'), '--channel', 'stable', '--version', '2.0.0', tarball);
    expect(result.stderr).toContain(`${tarball} contains VERSION 2.0.1, but --version is 2.0.0; pass --version 2.0.1`);
    expect(result.code).toBe(1);
  });

  it('names an invalid key id instead of printing a schema error', async () => {
    const tarball = join(workDir, 'simtestlab-edge-2.0.0-linux-x64.tar.gz');
    const result = await runTool('sign', '--key', join(workDir, 'keys', 'ci-test.pem'), '--key-id', 'my key', '--channel', 'stable', '--version', '2.0.0', tarball);
    expect(result.stderr).toContain('the signed manifest is invalid at "signatures.0.keyId"');
    expect(result.stderr).not.toContain('ZodError');
    expect(result.code).toBe(1);
  });

  it('rejects a version that is not semver', async () => {
    const result = await runTool('sign', '--key', 'k.pem', '--channel', 'stable', '--version', 'v2', 'a.tar.gz');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--version: "v2" is not a semantic version such as 1.2.0');
  });

  it('ships a development public key', () => {
    const trusted = loadTrustedKeys(join(EDGE_NODE_DIR, 'packaging/release-keys'));
    expect([...trusted.keys()]).toContain('development');
  });
});
