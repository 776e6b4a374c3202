import { roleAtLeast } from '@simtestlab/sync';
import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import { useApp, useCloud } from '../../app/app-context';
import '../../components/admin/admin.css';
import { ResourceView } from '../../components/admin/resource-view';
import { loadEnergySettings, saveEnergySettings } from '../../components/energy-settings/energy-settings-api';
import { EnergySettingsEditor } from '../../components/energy-settings/energy-settings-editor';
import { formatDateTime } from '../../format/time';
import { isSiteUnavailable, SiteUnavailableCard } from './site-unavailable';

/**
 * Energy settings of one site at `/admin/sites/:siteId/energy`: tariffs, virtual meters, the emission
 * factor and the night window. Site managers and above edit them; anyone who may view the site reads them.
 * A site that does not exist or that the user may not see gets the same "Site not available" message as
 * the site's own pages.
 */
export function EnergySettingsPage() {
  const app = useApp();
  const cloud = useCloud();
  const params = useParams<{ siteId: string }>();
  const [savedAt, setSavedAt] = createSignal<number | null>(null);
  const [page] = createResource(
    () => params.siteId,
    async (siteId) => {
      const [site, energy] = await Promise.all([unwrap(cloud.GET('/api/sites/{siteId}', { params: { path: { siteId } } })), loadEnergySettings(cloud, siteId)]);
      return { site, energy };
    },
  );

  // Reading an errored resource throws, so the title reads the value only once it loaded.
  const ready = () => (page.state === 'ready' || page.state === 'refreshing' ? page() : undefined);
  const unavailable = () => page.state === 'errored' && isSiteUnavailable(page.error);

  // `updatedBy` is a user id, so only the viewer's own saves can be named.
  const byWhom = (userId: string | null) => (userId !== null && userId === app.viewer()?.id ? ' by you' : '');

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Energy settings{ready() ? ` of ${ready()!.site.name}` : ''}</h1>
          <p class="page-subtitle">Tariffs for cost, virtual meters, and the CO2 and baseload settings of the site's energy reports.</p>
        </div>
        <div class="button-row">
          <A class="btn btn-small" href={`/sites/${encodeURIComponent(params.siteId)}/energy`}>
            Site energy report
          </A>
          <A class="btn btn-small" href={`/admin/sites/${encodeURIComponent(params.siteId)}/devices`}>
            Device settings
          </A>
          <Show when={app.viewer()?.canAdminister}>
            <A class="btn btn-small" href="/admin/sites">
              Sites admin
            </A>
          </Show>
        </div>
      </div>
      <Show when={unavailable()}>
        <SiteUnavailableCard error={page.error} />
      </Show>
      <Show when={!unavailable()}>
        <ResourceView resource={page} what="energy settings">
          {(loaded) => (
            <Show when={loaded()} keyed>
              {(current) => {
                const readOnly = !roleAtLeast(current.site.role, 'site_manager');
                return (
                  <>
                    <Show when={readOnly}>
                      <div class="alert alert-info" role="status" data-testid="energy-settings-read-only">
                        You may read these settings; site managers and org admins change them.
                      </div>
                    </Show>
                    <Show when={current.energy.invalidStoredSettings}>
                      {(invalid) => (
                        <div class="alert alert-warning" role="alert" data-testid="energy-settings-invalid-stored">
                          The saved settings of this site are no longer valid ({invalid().message}), so reports use the defaults. The form shows the defaults: enter the
                          settings again and save them.
                        </div>
                      )}
                    </Show>
                    <Show
                      when={savedAt()}
                      fallback={
                        <Show when={current.energy.updatedAt}>
                          {(updatedAt) => (
                            <p class="muted" data-testid="energy-settings-updated">
                              Last saved {formatDateTime(Date.parse(updatedAt()))}
                              {byWhom(current.energy.updatedBy)}.
                            </p>
                          )}
                        </Show>
                      }
                    >
                      {(at) => (
                        <p class="muted" data-testid="energy-settings-updated">
                          Last saved {formatDateTime(at())} by you.
                        </p>
                      )}
                    </Show>
                    <EnergySettingsEditor
                      loaded={current.energy}
                      siteTimeZone={current.site.timeZone}
                      readOnly={readOnly}
                      save={async (settings) => {
                        await saveEnergySettings(cloud, current.site.id, settings);
                        setSavedAt(Date.now());
                      }}
                      loadCurrency={async () => (await loadEnergySettings(cloud, current.site.id)).currency}
                    />
                  </>
                );
              }}
            </Show>
          )}
        </ResourceView>
      </Show>
    </>
  );
}
