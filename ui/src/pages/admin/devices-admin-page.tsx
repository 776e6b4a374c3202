import { Show } from 'solid-js';
import { ConfirmDialog, createConfirm } from '../../components/admin/confirm-dialog';
import { createOrganizationChoice, OrganizationPicker } from '../../components/admin/organization-choice';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { createSiteChoice, SitePicker } from '../../components/admin/site-choice';
import '../../components/admin/admin.css';
import { SiteDevices } from './site-devices';

/**
 * Devices of a site and their points, for org admins and platform admins: pick an organization and one
 * of its sites, then list, create, edit settings and meter roles, and delete. Site managers open the
 * same view of their sites at `/admin/sites/:siteId/devices`.
 */
export function DevicesAdminPage() {
  const organization = createOrganizationChoice();
  const sites = createSiteChoice(organization);
  const confirm = createConfirm();

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Devices and points</h1>
          <p class="page-subtitle">The devices each site's edge node polls, and what their points measure.</p>
        </div>
      </div>
      <ResourceView resource={organization.organizations} what="organizations">
        {() => (
          <Show when={organization.selectedId()} fallback={<EmptyState>You administer no organization.</EmptyState>}>
            <div class="admin-toolbar">
              <OrganizationPicker choice={organization} />
              <SitePicker choice={sites} />
            </div>
            <ResourceView resource={sites.sites} what="sites">
              {() => (
                <Show when={sites.selected()} keyed fallback={<EmptyState>This organization has no sites yet. Create one on the sites page.</EmptyState>}>
                  {(site) => <SiteDevices site={site} confirm={confirm} />}
                </Show>
              )}
            </ResourceView>
          </Show>
        )}
      </ResourceView>
      <ConfirmDialog confirm={confirm} />
    </>
  );
}
