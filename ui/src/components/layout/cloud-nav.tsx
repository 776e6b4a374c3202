import { A, useParams, useSearchParams } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/app-context';

/**
 * The admin pages in navigation order. Org admins see them all, and each page shows them only the
 * organizations they administer; platform admins see every organization.
 */
const adminPages: { href: string; label: string }[] = [
  { href: '/admin/organizations', label: 'Organizations' },
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/access', label: 'Memberships and access' },
  { href: '/admin/sites', label: 'Sites and hierarchy' },
  { href: '/admin/devices', label: 'Devices and points' },
  { href: '/admin/edge-nodes', label: 'Edge nodes' },
  { href: '/admin/audit', label: 'Audit log' },
];

/**
 * Renders the hub's navigation: the sites overview, or inside a site a link back to all sites above
 * the site's own navigation (`site`, which carries the site's name), and the admin pages for platform
 * admins and org admins. Admin links keep the chosen organization and site, so moving between admin
 * pages stays on the same one.
 */
export function CloudNav(props: { site?: JSX.Element }) {
  const app = useApp();
  const params = useParams();
  const [search] = useSearchParams<{ org?: string; site?: string }>();

  // SiteNav shows the site's name as its heading, so this only names the section for screen readers.
  const siteName = () => {
    const siteId = params.siteId;
    const name = app.viewer()?.sites.find((site) => site.id === siteId)?.name;
    return name ? `Site ${name}` : 'Current site';
  };
  // The organization energy view is for org admins of an organization and for platform admins.
  const mayViewOrganizationEnergy = () => {
    const viewer = app.viewer();
    return viewer?.platformAdmin === true || viewer?.organizations.some((organization) => organization.role === 'org_admin') === true;
  };
  const adminHref = (path: string) => {
    const query = new URLSearchParams();
    if (search.org) query.set('org', search.org);
    if (search.site) query.set('site', search.site);
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };

  return (
    <div data-testid="cloud-nav">
      <Show
        when={props.site}
        fallback={
          <div class="nav-section">
            <A class="nav-link" href="/" end>
              Sites
            </A>
          </div>
        }
      >
        <section aria-label={siteName()} data-testid="nav-site">
          <div class="nav-section">
            <A class="nav-link" href="/" end data-testid="nav-all-sites">
              <span aria-hidden="true">←</span> All sites
            </A>
          </div>
          {props.site}
          <Show when={params.siteId && app.viewer()?.can('site.manage', params.siteId)}>
            <div class="nav-section">
              <A class="nav-link" href={`/admin/sites/${encodeURIComponent(params.siteId!)}/energy`} data-testid="nav-energy-settings">
                Energy settings
              </A>
              <A class="nav-link" href={`/admin/sites/${encodeURIComponent(params.siteId!)}/devices`} data-testid="nav-site-devices">
                Device settings
              </A>
            </div>
          </Show>
        </section>
      </Show>
      <Show when={mayViewOrganizationEnergy()}>
        <div class="nav-section">
          <A class="nav-link" href={adminHref('/energy')} data-testid="nav-organization-energy">
            Organization energy
          </A>
        </div>
      </Show>
      <Show when={app.viewer()?.canAdminister}>
        <section class="nav-section" aria-labelledby="cloud-nav-admin" data-testid="nav-admin">
          <h2 class="nav-heading" id="cloud-nav-admin">
            Admin
          </h2>
          <For each={adminPages}>
            {(page) => (
              <A class="nav-link" href={adminHref(page.href)} data-testid={`nav-${page.href.slice('/admin/'.length)}`}>
                {page.label}
              </A>
            )}
          </For>
        </section>
      </Show>
    </div>
  );
}
