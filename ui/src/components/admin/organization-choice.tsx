import { useSearchParams } from '@solidjs/router';
import { createMemo, createResource, For, Show } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useApp, useCloud } from '../../app/app-context';

export type Organization = components['schemas']['Organization'];

/**
 * Tracks the organization an admin page works on, kept in the `org` query parameter so that links between
 * admin pages keep it. Platform admins choose among every organization; org admins among those they
 * administer, and with one of them there is nothing to choose.
 */
export function createOrganizationChoice() {
  const app = useApp();
  const cloud = useCloud();
  const [params, setParams] = useSearchParams<{ org?: string; site?: string }>();
  const [organizations, { refetch, mutate }] = createResource(async () => (await unwrap(cloud.GET('/api/organizations'))).organizations);

  const administered = createMemo(() => {
    if (organizations.state !== 'ready' && organizations.state !== 'refreshing') return [];
    const all = organizations() ?? [];
    return app.viewer()?.platformAdmin ? all : all.filter((organization) => organization.role === 'org_admin');
  });

  const selectedId = createMemo(() => {
    const list = administered();
    const requested = params.org;
    return list.find((organization) => organization.id === requested)?.id ?? list[0]?.id ?? null;
  });

  return {
    organizations,
    administered,
    selectedId,
    selected: () => administered().find((organization) => organization.id === selectedId()) ?? null,
    /** Switches to another organization and clears the site chosen in the previous one. */
    select: (organizationId: string) => setParams({ org: organizationId, site: undefined }),
    refetch,
    mutate,
  };
}

export type OrganizationChoice = ReturnType<typeof createOrganizationChoice>;

/** Renders a labelled select of the organizations in a choice, or nothing when there is only one. */
export function OrganizationPicker(props: { choice: OrganizationChoice }) {
  return (
    <Show when={props.choice.administered().length > 1}>
      <div class="field">
        <label for="organization-picker">Organization</label>
        <select
          id="organization-picker"
          data-testid="organization-picker"
          value={props.choice.selectedId() ?? ''}
          onChange={(event) => props.choice.select(event.currentTarget.value)}
        >
          <For each={props.choice.administered()}>
            {(organization) => (
              <option value={organization.id} selected={organization.id === props.choice.selectedId()}>
                {organization.name}
              </option>
            )}
          </For>
        </select>
      </div>
    </Show>
  );
}
