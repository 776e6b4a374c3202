import { useSearchParams } from '@solidjs/router';
import { createMemo, createResource, For, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useCloud } from '../../app/app-context';
import type { OrganizationChoice } from './organization-choice';

export type Site = components['schemas']['Site'];

/**
 * Tracks the site an admin page works on, among the sites of the chosen organization, kept in the `site`
 * query parameter. Without a parameter the first site is chosen.
 */
export function createSiteChoice(organization: OrganizationChoice) {
  const cloud = useCloud();
  const [params, setParams] = useSearchParams<{ org?: string; site?: string }>();
  const [sites, { refetch }] = createResource(
    () => organization.selectedId(),
    async (organizationId) => (await unwrap(cloud.GET('/api/sites', { params: { query: { organizationId } } }))).sites,
  );

  const list = createMemo(() => (sites.state === 'ready' || sites.state === 'refreshing' ? (sites() ?? []) : []));
  const selectedId = createMemo(() => list().find((site) => site.id === params.site)?.id ?? list()[0]?.id ?? null);

  return {
    sites,
    list,
    selectedId,
    selected: () => list().find((site) => site.id === selectedId()) ?? null,
    select: (siteId: string) => setParams({ site: siteId }),
    refetch,
  };
}

export type SiteChoice = ReturnType<typeof createSiteChoice>;

/** Renders a labelled select of the sites in a choice. */
export function SitePicker(props: { choice: SiteChoice }) {
  return (
    <Show when={props.choice.list().length > 0}>
      <div class="field">
        <label for="site-picker">Site</label>
        <select id="site-picker" data-testid="site-picker" value={props.choice.selectedId() ?? ''} onChange={(event) => props.choice.select(event.currentTarget.value)}>
          <For each={props.choice.list()}>
            {(site) => (
              <option value={site.id} selected={site.id === props.choice.selectedId()}>
                {site.name}
              </option>
            )}
          </For>
        </select>
      </div>
    </Show>
  );
}
