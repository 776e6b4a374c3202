import { A } from '@solidjs/router';
import type { EffectiveRole } from '@simtestlab/sync';
import { For, Show } from 'solid-js';
import { useApp } from '../../app/app-context';
import type { Viewer } from '../../app/viewer';
import { roleLabel } from '../../components/admin/roles';
import { managedInCloud } from './profile-labels';

/** Sites in the order of their organization's name, then their own name. */
function sortedSites(viewer: Viewer): (Viewer['sites'][number] & { organizationName: string | null })[] {
  const names = new Map(viewer.organizations.map((organization) => [organization.id, organization.name]));
  return viewer.sites
    .map((site) => ({ ...site, organizationName: site.organizationId === null ? null : (names.get(site.organizationId) ?? null) }))
    .sort((a, b) => (a.organizationName ?? '').localeCompare(b.organizationName ?? '') || a.name.localeCompare(b.name));
}

/** Returns the name of a site role. `Viewer` keeps roles as strings, so an unknown one shows as sent. */
function siteRoleLabel(role: string): string {
  return roleLabel(role as EffectiveRole) ?? role;
}

/** Shows the organizations and sites of the viewer with the role at each, or the one site on the edge. */
export function ProfileAccess(props: { viewer: Viewer; cloudProfileUrl: string | null }) {
  const app = useApp();
  const siteHref = (siteId: string) => (app.instance.mode === 'edge' ? '/' : `/sites/${encodeURIComponent(siteId)}`);
  return (
    <section class="card" aria-labelledby="profile-access-title" data-testid="profile-access">
      <div class="card-header">
        <h2 id="profile-access-title">{app.instance.mode === 'edge' ? 'Access on this site' : 'Organizations and sites'}</h2>
      </div>
      <Show when={app.instance.mode === 'cloud'}>
        <h3>Organizations</h3>
        <Show when={props.viewer.organizations.length > 0} fallback={<p class="muted" data-testid="profile-no-organizations">You are not a member of any organization.</p>}>
          <div class="table-wrap">
            <table class="data" data-testid="profile-organizations">
              <thead>
                <tr>
                  <th scope="col">Organization</th>
                  <th scope="col">Your role</th>
                </tr>
              </thead>
              <tbody>
                <For each={props.viewer.organizations}>
                  {(organization) => (
                    <tr data-testid={`profile-organization-${organization.id}`}>
                      <td>{organization.name}</td>
                      <td>{roleLabel(organization.role)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
        <h3 class="profile-subheading">Sites</h3>
      </Show>
      <Show when={props.viewer.platformAdmin && app.instance.mode === 'cloud'}>
        <p class="muted">As platform admin you can open every site, including sites not listed here.</p>
      </Show>
      <Show
        when={props.viewer.sites.length > 0}
        fallback={
          <Show when={!props.viewer.platformAdmin}>
            <p class="muted" data-testid="profile-no-sites">
              You have access to no site yet. An administrator of your organization grants site access.
            </p>
          </Show>
        }
      >
        <div class="table-wrap">
          <table class="data" data-testid="profile-sites">
            <thead>
              <tr>
                <th scope="col">Site</th>
                <Show when={app.instance.mode === 'cloud'}>
                  <th scope="col">Organization</th>
                </Show>
                <th scope="col">Your role</th>
              </tr>
            </thead>
            <tbody>
              <For each={sortedSites(props.viewer)}>
                {(site) => (
                  <tr data-testid={`profile-site-${site.id}`}>
                    <td>
                      <A href={siteHref(site.id)}>{site.name}</A>
                    </td>
                    <Show when={app.instance.mode === 'cloud'}>
                      <td>{site.organizationName ?? <span class="muted">Organization you are not a member of</span>}</td>
                    </Show>
                    <td>{siteRoleLabel(site.role)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
      <Show when={managedInCloud(props.viewer, app.instance)}>
        <p class="muted">
          Your organizations and other sites are listed in your{' '}
          <Show when={props.cloudProfileUrl} fallback="profile in the cloud">
            {(url) => <a href={url()}>profile in the cloud</a>}
          </Show>
          .
        </p>
      </Show>
    </section>
  );
}
