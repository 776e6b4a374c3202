import { z } from 'zod';

/**
 * What a power or energy point measures for the site's balance. Signs follow one convention on every
 * site: `grid` is positive when the site imports and negative when it exports; `pv` is positive while
 * producing; `battery` is positive while discharging into the site and negative while charging; `ev`
 * and `consumption` are positive while drawing power.
 *
 * The one-way roles name a register or power reading that only counts one direction: `grid-import`,
 * `grid-export`, `battery-charge` and `battery-discharge`. A counter with the signed role `grid` counts
 * import, and one with `battery` counts discharge, as the registers of most meters do.
 */
export const meterRoles = [
  'grid',
  'grid-import',
  'grid-export',
  'pv',
  'battery',
  'battery-charge',
  'battery-discharge',
  'ev',
  'consumption',
] as const;
export const meterRoleSchema = z.enum(meterRoles);
export type MeterRole = z.infer<typeof meterRoleSchema>;

/** The energy flows of a site's balance that reports total, each 0 or more. */
export const energyFlows = ['gridImport', 'gridExport', 'pv', 'batteryCharge', 'batteryDischarge', 'ev', 'consumption'] as const;
export const energyFlowSchema = z.enum(energyFlows);
export type EnergyFlow = z.infer<typeof energyFlowSchema>;

/**
 * Returns the flows a meter feeds, as `{ positive, negative }`: the flow its positive values count
 * toward and, for a signed power role, the flow its negative values count toward. A counter only grows,
 * so it feeds `positive` alone.
 */
export function meterFlows(role: MeterRole): { positive: EnergyFlow; negative: EnergyFlow | null } {
  switch (role) {
    case 'grid':
      return { positive: 'gridImport', negative: 'gridExport' };
    case 'grid-import':
      return { positive: 'gridImport', negative: null };
    case 'grid-export':
      return { positive: 'gridExport', negative: null };
    case 'pv':
      return { positive: 'pv', negative: null };
    case 'battery':
      return { positive: 'batteryDischarge', negative: 'batteryCharge' };
    case 'battery-charge':
      return { positive: 'batteryCharge', negative: null };
    case 'battery-discharge':
      return { positive: 'batteryDischarge', negative: null };
    case 'ev':
      return { positive: 'ev', negative: null };
    case 'consumption':
      return { positive: 'consumption', negative: null };
  }
}
