import { roleAtLeast } from '@simtestlab/sync';
import { A, useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import { useCloud } from '../../app/app-context';
import '../../components/admin/admin.css';
import { ConfirmDialog, createConfirm } from '../../components/admin/confirm-dialog';
import { ResourceView } from '../../components/admin/resource-view';
import { SiteDevices } from './site-devices';
import { isSiteUnavailable, SiteUnavailableCard } from './site-unavailable';

/**
 * Devices and points of one site at `/admin/sites/:siteId/devices`, without the organization picker of
 * `/admin/devices`, so site managers who administer no organization reach the devices of their sites.
 * Site managers and above edit them, and anyone who may view the site reads them. A site that does not
 * exist or that the user may not see gets the "Site not available" message.
 */
export function SiteDevicesPage() {
  const cloud = useCloud();
  const params = useParams<{ siteId: string }>();
  const confirm = createConfirm();
  const [site] = createResource(
    () => params.siteId,
    async (siteId) => unwrap(cloud.GET('/api/sites/{siteId}', { params: { path: { siteId } } })),
  );

  // Reading an errored resource throws, so the title reads the value only once it loaded.
  const ready = () => (site.state === 'ready' || site.state === 'refreshing' ? site() : undefined);
  const unavailable = () => site.state === 'errored' && isSiteUnavailable(site.error);
  const siteId = () => encodeURIComponent(params.siteId);
  // `/admin/devices` lists only the organizations the user administers, so only their admins get the link.
  const administeredSite = () => {
    const loaded = ready();
    return loaded && roleAtLeast(loaded.role, 'org_admin') ? loaded : undefined;
  };
  const devicesAdminHref = (organizationId: string) => `/admin/devices?${new URLSearchParams({ org: organizationId, site: params.siteId })}`;

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Devices and points{ready() ? ` of ${ready()!.name}` : ''}</h1>
          <p class="page-subtitle">The devices this site's edge node polls, and what their points measure.</p>
        </div>
        <div class="button-row">
          <A class="btn btn-small" href={`/sites/${siteId()}`}>
            Site overview
          </A>
          <A class="btn btn-small" href={`/admin/sites/${siteId()}/energy`}>
            Energy settings
          </A>
          <Show when={administeredSite()}>
            {(administered) => (
              <A class="btn btn-small" href={devicesAdminHref(administered().organizationId)}>
                Devices admin
              </A>
            )}
          </Show>
        </div>
      </div>
      <Show when={unavailable()}>
        <SiteUnavailableCard error={site.error} />
      </Show>
      <Show when={!unavailable()}>
        <ResourceView resource={site} what="the site">
          {(loaded) => (
            <Show when={loaded()} keyed>
              {(current) => (
                <>
                  <Show when={!roleAtLeast(current.role, 'site_manager')}>
                    <div class="alert alert-info" role="status" data-testid="site-devices-read-only">
                      You may view these devices; site managers and org admins change them.
                    </div>
                  </Show>
                  <SiteDevices site={current} confirm={confirm} />
                </>
              )}
            </Show>
          )}
        </ResourceView>
      </Show>
      <ConfirmDialog confirm={confirm} />
    </>
  );
}
