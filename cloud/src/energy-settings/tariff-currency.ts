import { HttpError } from '../api/http-error';
import type { TransactionSql } from '../db/connect';

/** Maximum number of tariffs a currency_in_use error names; the message gives the count of the others. */
const LISTED_TARIFFS = 5;

/**
 * Rejects a change of the organization's currency from `current` to `next` with 409 `currency_in_use`
 * while a site of the organization has a tariff priced in another currency than `next`, because every
 * tariff must be priced in the organization's currency. The error names the sites and tariff start days.
 */
export async function rejectTariffsInOtherCurrency(tx: TransactionSql, organizationId: string, current: string, next: string): Promise<void> {
  const rows = await tx<{ site_name: string; valid_from: string | null; currency: string | null }[]>`
    SELECT s.name AS site_name, t.dated->>'validFrom' AS valid_from, t.dated->'tariff'->>'currency' AS currency
    FROM site_energy_settings e
    JOIN sites s ON s.id = e.site_id AND s.organization_id = e.organization_id
    CROSS JOIN LATERAL jsonb_array_elements(
      CASE WHEN jsonb_typeof(e.settings->'tariffs') = 'array' THEN e.settings->'tariffs' ELSE '[]'::jsonb END
    ) AS t(dated)
    WHERE e.organization_id = ${organizationId} AND t.dated->'tariff'->>'currency' IS DISTINCT FROM ${next}
    ORDER BY s.name, valid_from`;
  if (rows.length === 0) return;

  const listed = rows
    .slice(0, LISTED_TARIFFS)
    .map((row) => `site "${row.site_name}" (tariff from ${row.valid_from ?? 'an unknown day'} in ${row.currency ?? 'no currency'})`);
  const more = rows.length > LISTED_TARIFFS ? ` and ${rows.length - LISTED_TARIFFS} more` : '';
  throw new HttpError(
    409,
    'currency_in_use',
    `the organization currency cannot change from ${current} to ${next} while tariffs are priced in another currency: ${listed.join(', ')}${more}. ` +
      `Remove those tariffs in the sites' energy settings, change the currency, then enter the tariffs again in ${next}`,
    { parameter: 'currency' },
  );
}
