import { createResource, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import { useCloud } from '../../app/app-context';
import { ConfirmDialog, createConfirm } from '../../components/admin/confirm-dialog';
import { createOrganizationChoice, OrganizationPicker } from '../../components/admin/organization-choice';
import { EmptyState, ResourceView } from '../../components/admin/resource-view';
import { createSiteChoice, SitePicker } from '../../components/admin/site-choice';
import '../../components/admin/admin.css';
import { MembershipsCard } from './memberships-card';
import { SiteAccess } from './site-access-card';

/**
 * Memberships (each user's role in the organization) and site access (each user's role at one site).
 * Org admins see every site of their organization anyway; members see only the sites granted here.
 */
export function AccessPage() {
  const cloud = useCloud();
  const organization = createOrganizationChoice();
  const sites = createSiteChoice(organization);
  const confirm = createConfirm();
  const [members, { refetch: refetchMembers }] = createResource(
    () => organization.selectedId(),
    async (organizationId) => (await unwrap(cloud.GET('/api/organizations/{organizationId}/members', { params: { path: { organizationId } } }))).members,
  );

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Memberships and site access</h1>
          <p class="page-subtitle">Who belongs to the organization, and who may open which site in which role.</p>
        </div>
      </div>
      <ResourceView resource={organization.organizations} what="organizations">
        {() => (
          <Show when={organization.selectedId()} fallback={<EmptyState>You administer no organization.</EmptyState>}>
            <div class="admin-toolbar">
              <OrganizationPicker choice={organization} />
            </div>
            <MembershipsCard organization={organization} members={members} onChanged={() => void refetchMembers()} confirm={confirm} />
            <section class="card" aria-labelledby="site-access-heading">
              <div class="card-header">
                <h2 id="site-access-heading">Site access</h2>
              </div>
              <ResourceView resource={sites.sites} what="sites">
                {() => (
                  <Show when={sites.selected()} fallback={<EmptyState>This organization has no sites yet.</EmptyState>}>
                    {(site) => (
                      <>
                        <div class="admin-toolbar">
                          <SitePicker choice={sites} />
                        </div>
                        <Show when={site().id} keyed>
                          <SiteAccess site={site()} members={members} confirm={confirm} />
                        </Show>
                      </>
                    )}
                  </Show>
                )}
              </ResourceView>
            </section>
          </Show>
        )}
      </ResourceView>
      <ConfirmDialog confirm={confirm} />
    </>
  );
}
