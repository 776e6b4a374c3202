import { describe, expect, it } from 'vitest';
import type { Instance } from '../../../../src/app/instance';
import { accountSourceLabel, cloudProfileUrl, managedInCloud } from '../../../../src/pages/account/profile-labels';

function edgeInstance(url: string | null): Instance {
  return { mode: 'edge', siteId: 'site-1', siteName: 'Depot North', version: '0.1.0', cloud: { paired: url !== null, url } };
}
const cloudInstance: Instance = { mode: 'cloud', version: '0.1.0', publicUrl: 'http://127.0.0.1:8090' };

describe('cloudProfileUrl', () => {
  it('links to the hub profile page', () => {
    expect(cloudProfileUrl(edgeInstance('http://127.0.0.1:8090'))).toBe('http://127.0.0.1:8090/profile');
  });

  it('keeps a path prefix of the hub', () => {
    expect(cloudProfileUrl(edgeInstance('http://127.0.0.1:8090/ems/'))).toBe('http://127.0.0.1:8090/ems/profile');
    expect(cloudProfileUrl(edgeInstance('http://127.0.0.1:8090/ems'))).toBe('http://127.0.0.1:8090/ems/profile');
  });

  it('returns null without a usable URL', () => {
    expect(cloudProfileUrl(edgeInstance(null))).toBeNull();
    expect(cloudProfileUrl(edgeInstance('not a url'))).toBeNull();
    expect(cloudProfileUrl(edgeInstance('javascript:alert(1)'))).toBeNull();
    expect(cloudProfileUrl(cloudInstance)).toBeNull();
  });
});

describe('managedInCloud', () => {
  it('is true for cloud users on the edge only', () => {
    expect(managedInCloud({ source: 'cloud-user' }, edgeInstance(null))).toBe(true);
    expect(managedInCloud({ source: 'hub-token' }, edgeInstance(null))).toBe(true);
    expect(managedInCloud({ source: 'local' }, edgeInstance(null))).toBe(false);
    expect(managedInCloud({ source: 'cloud' }, cloudInstance)).toBe(false);
  });
});

describe('accountSourceLabel', () => {
  it('names each kind of account', () => {
    expect(accountSourceLabel('local')).toBe('Local account of this edge node');
    expect(accountSourceLabel('cloud')).toBe('Cloud account');
    expect(accountSourceLabel('cloud-user')).toContain('logged in on this edge node');
  });
});
