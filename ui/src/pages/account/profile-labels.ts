import type { Instance } from '../../app/instance';
import type { Viewer } from '../../app/viewer';

/** Describes where the account behind the session is kept, in words for the profile page. */
export function accountSourceLabel(source: Viewer['source']): string {
  switch (source) {
    case 'local':
      return 'Local account of this edge node';
    case 'cloud-user':
      return 'Cloud account, logged in on this edge node';
    case 'hub-token':
      return 'Cloud account, using an access token of the cloud hub';
    case 'cloud':
      return 'Cloud account';
  }
}

/** Checks whether the hub owns the account's name and password, so they are changed there and not here. */
export function managedInCloud(viewer: Pick<Viewer, 'source'>, instance: Instance): boolean {
  return instance.mode === 'edge' && viewer.source !== 'local';
}

/**
 * Returns the profile page of the paired hub for an edge node, or null when the edge does not know the
 * hub's URL or the URL is not http(s), so a stored value can never become a `javascript:` link.
 */
export function cloudProfileUrl(instance: Instance): string | null {
  if (instance.mode !== 'edge' || !instance.cloud.url || !URL.canParse(instance.cloud.url)) return null;
  const base = new URL(instance.cloud.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return null;
  return new URL('profile', base.href.endsWith('/') ? base.href : `${base.href}/`).href;
}
