import { z } from 'zod';

/**
 * What a power or energy point measures for the site's balance. Signs follow one convention on every
 * site: `grid` is positive when the site imports and negative when it exports; `pv` is positive while
 * producing; `battery` is positive while discharging into the site and negative while charging; `ev`
 * and `consumption` are positive while drawing power.
 */
export const meterRoles = ['grid', 'pv', 'battery', 'ev', 'consumption'] as const;
export const meterRoleSchema = z.enum(meterRoles);
export type MeterRole = z.infer<typeof meterRoleSchema>;
