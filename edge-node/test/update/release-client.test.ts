import { describe, expect, it } from 'vitest';
import { fetchOfferedRelease } from '../../src/update/release-client';
import { UpdateRejectedError } from '../../src/update/update-errors';

const manifest = {
  schema: 1,
  channel: 'stable',
  version: '1.2.0',
  protocolVersion: 1,
  releasedAt: '2026-12-01T10:00:00.000Z',
  artifacts: [{ arch: 'x64', file: 'simtestlab-edge-1.2.0-linux-x64.tar.gz', size: 10, sha256: 'a'.repeat(64) }],
};

/** A hub client whose every request returns `body` as JSON, with the given headers. */
function clientReturning(body: unknown, headers: Record<string, string> = {}) {
  return { request: async () => new Response(JSON.stringify(body), { status: 200, headers }) };
}

describe('offered release', () => {
  it.each([
    ['without signatures', { manifest }],
    ['with an empty signature list', { manifest, signatures: [] }],
  ])('refuses a manifest %s as unsigned', async (_case, body) => {
    const offered = fetchOfferedRelease(clientReturning(body), 'stable');
    await expect(offered).rejects.toThrow(UpdateRejectedError);
    await expect(offered).rejects.toThrow('the stable release manifest from the hub is unsigned; rejecting it');
  });

  it('refuses a manifest of another channel', async () => {
    const body = { manifest: { ...manifest, channel: 'beta' }, signatures: [{ keyId: 'k', signature: `${'A'.repeat(86)}==` }] };
    await expect(fetchOfferedRelease(clientReturning(body), 'stable')).rejects.toThrow('the hub served a manifest of channel beta for channel stable');
  });

  it('refuses an invalid manifest naming the field', async () => {
    const body = { manifest: { ...manifest, version: 'latest' }, signatures: [{ keyId: 'k', signature: `${'A'.repeat(86)}==` }] };
    await expect(fetchOfferedRelease(clientReturning(body), 'stable')).rejects.toThrow('is invalid at "manifest.version"');
  });

  it('reads the protocol range the hub serves', async () => {
    const body = { manifest, signatures: [{ keyId: 'k', signature: `${'A'.repeat(86)}==` }] };
    const offered = await fetchOfferedRelease(clientReturning(body, { 'SimTestLab-Protocol-Supported': '1..3' }), 'stable');
    expect(offered.hubProtocols).toEqual({ min: 1, max: 3 });
    const withoutHeader = await fetchOfferedRelease(clientReturning(body), 'stable');
    expect(withoutHeader.hubProtocols).toEqual({ min: 1, max: 1 });
  });
});
