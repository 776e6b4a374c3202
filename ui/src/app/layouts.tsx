import { useParams, type RouteSectionProps } from '@solidjs/router';
import { Show } from 'solid-js';
import { CloudNav } from '../components/layout/cloud-nav';
import { LinkBanner } from '../components/layout/link-banner';
import { Shell } from '../components/layout/shell';
import { SiteNav } from '../components/layout/site-nav';
import { createCloudSiteApi } from '../site/cloud-site-api';
import { createEdgeSiteApi } from '../site/edge-site-api';
import { SiteProvider } from '../site/site-context';
import { useApp, useCloud, useEdge } from './app-context';
import { RequireSession } from './require-session';

/** Local mode: the edge node's one site, with its navigation and the cloud link banner. */
export function EdgeSiteLayout(props: RouteSectionProps) {
  const app = useApp();
  const siteId = app.instance.mode === 'edge' ? app.instance.siteId : '';
  return (
    <RequireSession>
      <SiteProvider api={createEdgeSiteApi(useEdge(), siteId)} basePath="">
        <Shell nav={<SiteNav />} banner={<LinkBanner />}>
          {props.children}
        </Shell>
      </SiteProvider>
    </RequireSession>
  );
}

/** Remote mode outside a site: the sites overview, the profile and the admin pages. */
export function CloudLayout(props: RouteSectionProps) {
  return (
    <RequireSession>
      <Shell nav={<CloudNav />}>{props.children}</Shell>
    </RequireSession>
  );
}

/** Remote mode inside one site: the same site pages as on the edge, through the hub. */
export function CloudSiteLayout(props: RouteSectionProps) {
  const params = useParams();
  const cloud = useCloud();
  return (
    <RequireSession>
      <Show when={params.siteId} keyed>
        {(siteId) => (
          <SiteProvider api={createCloudSiteApi(cloud, siteId)} basePath={`/sites/${encodeURIComponent(siteId)}`}>
            <Shell nav={<CloudNav site={<SiteNav />} />} banner={<LinkBanner />}>
              {props.children}
            </Shell>
          </SiteProvider>
        )}
      </Show>
    </RequireSession>
  );
}
