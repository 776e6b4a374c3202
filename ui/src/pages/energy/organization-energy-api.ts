import { organizationEnergySchema, type OrganizationEnergy } from '@simtestlab/sync';
import type { Client } from 'openapi-fetch';
import type { paths as CloudPaths } from '../../api/generated/cloud-api';
import { unwrap } from '../../api/http';

/** Period kinds the organization view offers; a custom range is left to the site reports. */
export const organizationPeriodKinds = ['day', 'week', 'month', 'year'] as const;
export type OrganizationPeriodKind = (typeof organizationPeriodKinds)[number];

/** The period of the view: its kind and a local day (YYYY-MM-DD) inside it, resolved in each site's own zone. */
export interface OrganizationPeriod {
  kind: OrganizationPeriodKind;
  date: string;
}

/** Loads the energy of every site of an organization over one period. */
export async function loadOrganizationEnergy(cloud: Client<CloudPaths>, organizationId: string, period: OrganizationPeriod): Promise<OrganizationEnergy> {
  const body = await unwrap(
    cloud.GET('/api/energy/organizations/{organizationId}', {
      params: { path: { organizationId }, query: { period: period.kind, date: period.date } },
    }),
  );
  return organizationEnergySchema.parse(body);
}

/** Returns the file name from a Content-Disposition header, or undefined without one. */
export function attachmentFileName(header: string | null): string | undefined {
  if (!header) return undefined;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]!.trim());
    } catch {
      // A malformed escape falls through to the plain filename parameter.
    }
  }
  return /filename="?([^";]+)"?/i.exec(header)?.[1]?.trim();
}

/**
 * Downloads the same view as CSV. The hub serves it at the organization's path with `.csv` appended to
 * the id. Resolves with the file and the name the hub gives it.
 */
export async function downloadOrganizationEnergyCsv(
  cloud: Client<CloudPaths>,
  organizationId: string,
  period: OrganizationPeriod,
  signal?: AbortSignal,
): Promise<{ blob: Blob; fileName: string }> {
  const answer = await cloud.GET('/api/energy/organizations/{organizationId}', {
    params: { path: { organizationId: `${organizationId}.csv` }, query: { period: period.kind, date: period.date } },
    parseAs: 'blob',
    signal,
  });
  const blob = await unwrap(Promise.resolve(answer));
  const fileName = attachmentFileName(answer.response.headers.get('Content-Disposition')) ?? `energy-${organizationId}-${period.kind}-${period.date}.csv`;
  return { blob: blob as Blob, fileName };
}
