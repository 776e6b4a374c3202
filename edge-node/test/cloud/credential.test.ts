import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialError, CredentialExistsError, credentialPath, loadCredential, storeCredential, type CloudCredential } from '../../src/cloud/credential';

const credential: CloudCredential = {
  cloudUrl: 'https://ems.example.com',
  edgeNodeId: '0b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11',
  organizationId: '1b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11',
  siteId: '2b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11',
  siteName: 'Plant A',
  timeZone: 'Europe/Paris',
  privateJwk: { kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43), d: 'd'.repeat(43) },
  pairedAt: '2026-01-01T00:00:00.000Z',
};

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'edge-credential-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('storeCredential', () => {
  it('writes mode 0600 and loads back', () => {
    const path = storeCredential(dataDir, credential);
    expect(path).toBe(credentialPath(dataDir));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadCredential(dataDir)).toEqual(credential);
  });

  it('creates a missing data folder', () => {
    const nested = join(dataDir, 'a', 'b');
    storeCredential(nested, credential);
    expect(loadCredential(nested).edgeNodeId).toBe(credential.edgeNodeId);
  });

  it('refuses to overwrite without the flag', () => {
    storeCredential(dataDir, credential);
    expect(() => storeCredential(dataDir, { ...credential, siteName: 'Other' })).toThrow(CredentialExistsError);
    expect(loadCredential(dataDir).siteName).toBe('Plant A');
  });

  it('overwrites with the flag', () => {
    storeCredential(dataDir, credential);
    storeCredential(dataDir, { ...credential, siteName: 'Other' }, { overwrite: true });
    expect(loadCredential(dataDir).siteName).toBe('Other');
    expect(statSync(credentialPath(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('leaves no temporary files', () => {
    storeCredential(dataDir, credential);
    expect(() => storeCredential(dataDir, credential)).toThrow(CredentialExistsError);
    storeCredential(dataDir, credential, { overwrite: true });
    expect(readdirSync(dataDir)).toEqual(['cloud-credential.json']);
  });
});

describe('loadCredential', () => {
  it('rejects a group-readable file', () => {
    const path = storeCredential(dataDir, credential);
    chmodSync(path, 0o640);
    expect(() => loadCredential(dataDir)).toThrow(CredentialError);
    expect(() => loadCredential(dataDir)).toThrow(/mode 0640.*chmod 600/);
  });

  it('rejects a world-readable file', () => {
    const path = storeCredential(dataDir, credential);
    chmodSync(path, 0o604);
    expect(() => loadCredential(dataDir)).toThrow(/mode 0604/);
  });

  it('names the pair command when missing', () => {
    expect(() => loadCredential(dataDir)).toThrow(/no cloud credential at .*edge-node pair/);
  });

  it('rejects invalid JSON', () => {
    writeFileSync(credentialPath(dataDir), '{', { mode: 0o600 });
    expect(() => loadCredential(dataDir)).toThrow(/not valid JSON/);
  });

  it('names the invalid field', () => {
    const { privateJwk, ...rest } = credential;
    writeFileSync(credentialPath(dataDir), JSON.stringify({ ...rest, privateJwk: { ...privateJwk, d: undefined } }), { mode: 0o600 });
    expect(() => loadCredential(dataDir)).toThrow(/"privateJwk\.d"/);
  });

  it('stores the private key only in the file', () => {
    storeCredential(dataDir, credential);
    const stored = JSON.parse(readFileSync(credentialPath(dataDir), 'utf8'));
    expect(stored.privateJwk.d).toBe(credential.privateJwk.d);
  });
});
