import type { SiteRef } from '../access/guards';
import { HttpError } from '../api/http-error';
import type { TransactionSql } from '../db/connect';

/** Maximum number of tariffs a time_zone_in_use error names; the message gives the count of the others. */
const LISTED_TARIFFS = 5;

/**
 * Rejects a change of the site's time zone from `current` to `next` with 409 `time_zone_in_use` while the
 * site has a tariff in another zone than `next`. A tariff's periods and start days are local times, which
 * mean something only in their zone, so the hub does not move them to the new zone by itself. The error
 * names the tariffs by start day.
 */
export async function rejectTariffsInOtherTimeZone(tx: TransactionSql, site: Pick<SiteRef, 'id' | 'organizationId'>, current: string, next: string): Promise<void> {
  const rows = await tx<{ valid_from: string | null; time_zone: string | null }[]>`
    SELECT t.dated->>'validFrom' AS valid_from, t.dated->'tariff'->>'timeZone' AS time_zone
    FROM site_energy_settings e
    CROSS JOIN LATERAL jsonb_array_elements(
      CASE WHEN jsonb_typeof(e.settings->'tariffs') = 'array' THEN e.settings->'tariffs' ELSE '[]'::jsonb END
    ) AS t(dated)
    WHERE e.site_id = ${site.id} AND e.organization_id = ${site.organizationId}
      AND t.dated->'tariff'->>'timeZone' IS DISTINCT FROM ${next}
    ORDER BY valid_from`;
  if (rows.length === 0) return;

  const listed = rows.slice(0, LISTED_TARIFFS).map((row) => `tariff from ${row.valid_from ?? 'an unknown day'} (in ${row.time_zone ?? 'no time zone'})`);
  const more = rows.length > LISTED_TARIFFS ? ` and ${rows.length - LISTED_TARIFFS} more` : '';
  throw new HttpError(
    409,
    'time_zone_in_use',
    `the site's time zone cannot change from ${current} to ${next} while its tariffs follow another clock: ${listed.join(', ')}${more}. ` +
      `Remove those tariffs in the site's energy settings, change the time zone, then enter the tariffs again with timeZone ${next} ` +
      'and their periods in local time there',
    { parameter: 'timeZone' },
  );
}
