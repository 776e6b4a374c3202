import { z } from 'zod';
import { pointKindSchema } from '../model/point';
import { unitSchema } from '../model/units';
import { readingGapSchema } from './counter-energy';
import { energyIndicatorsSchema } from './energy-indicators';
import { bucketResolutions, periodKinds } from './energy-periods';
import { energyFlowSchema, meterRoleSchema, type MeterRole } from './meter-role';

/**
 * The energy report of one site over one period, computed by `computeEnergyReport` from the same
 * rollups on the edge and in the hub, so both return the same numbers. Times are epoch ms UTC,
 * energies Wh, costs in `currency`.
 */

/** Resolutions of the stored rollups a report reads: 15 minutes up to 31 days, hourly for longer periods. */
export const reportSourceResolutions = ['15m', '1h'] as const;
export type ReportSourceResolution = (typeof reportSourceResolutions)[number];

/** One rollup row of a meter point as both stores keep it; `last` and `lastTs` are null for a bucket without samples. */
export interface ReportRollupRow {
  start: number;
  end: number;
  count: number;
  sum: number | null;
  last: number | null;
  lastTs: number | null;
}

/**
 * A power or energy point of the site with its rollups over the window `reportRowWindow` gives, ordered
 * by start. Points with a meter role feed the flows; points without one are read only when a virtual
 * meter names them.
 */
export interface ReportMeterInput {
  /** `device.point`. */
  id: string;
  device: string;
  name: string;
  role: MeterRole | null;
  unit: z.infer<typeof unitSchema>;
  kind: z.infer<typeof pointKindSchema>;
  /** The hierarchy node of the meter's device; null when the device sits directly under the site. */
  nodeId: string | null;
  /**
   * Value in `unit` at which a counter's register wraps to 0, from `counterRolloverAt` of the point's
   * configured data type and scale. Absent when the register does not wrap or its type is not known.
   */
  rolloverAt?: number;
  rows: readonly ReportRollupRow[];
}

const flowTotalsShape = {
  gridImportWh: z.number(),
  gridExportWh: z.number(),
  pvWh: z.number(),
  batteryChargeWh: z.number(),
  batteryDischargeWh: z.number(),
  evWh: z.number(),
  consumptionWh: z.number(),
};

/** Energy of each flow; a flow no meter feeds is 0 and listed in `missingFlows` of the report. */
export const flowTotalsSchema = z.object(flowTotalsShape);
export type FlowTotals = z.infer<typeof flowTotalsSchema>;

export const reportPeriodSchema = z.object({
  kind: z.enum(periodKinds),
  start: z.number(),
  end: z.number(),
  /** First and last local day of the period, YYYY-MM-DD, both included. */
  from: z.string(),
  to: z.string(),
  /** Length in hours: 23 or 25 on a daylight-saving day. */
  hours: z.number(),
});
export type ReportPeriod = z.infer<typeof reportPeriodSchema>;

export const reportBucketSchema = z.object({
  start: z.number(),
  end: z.number(),
  ...flowTotalsShape,
  /** Net cost of the bucket (import cost minus export credit); null without a tariff or without any grid reading in the period. */
  netCost: z.number().nullable(),
});
export type ReportBucket = z.infer<typeof reportBucketSchema>;

export const reportMeterSchema = z.object({
  id: z.string(),
  device: z.string(),
  name: z.string(),
  role: meterRoleSchema.nullable(),
  unit: unitSchema,
  nodeId: z.string().nullable(),
  /** Source of the energy: the counter, integrated power, both (chosen per bucket), or none. */
  method: z.enum(['counter', 'power-integration', 'mixed', 'none']),
  /** Energy toward the role's positive flow, or the point's own energy when it has no role. */
  energyWh: z.number(),
  /** Energy toward the negative flow of a signed power role (grid export, battery charge), else 0. */
  reverseEnergyWh: z.number(),
  /** Share of the whole period covered by readings (0 to 1), also for a running period, whose later hours count as uncovered. */
  coverage: z.number(),
  resets: z.number().int(),
  gaps: z.array(readingGapSchema),
  /** Counter growth over long gaps that no bucket received; null when power was integrated. */
  unattributedWh: z.number().nullable(),
  /** The meter's energy priced per bucket: export flows at the feed-in price, the others at the import price. Null without a tariff. */
  cost: z.number().nullable(),
});
export type ReportMeter = z.infer<typeof reportMeterSchema>;

export const reportVirtualMeterSchema = z.object({
  id: z.string(),
  name: z.string(),
  unit: z.string(),
  formula: z.string(),
  /** Sum over the buckets with a value for an energy unit, their average for a power unit; null when no bucket has a value. */
  total: z.number().nullable(),
  /** Value per report bucket, null where an input is missing. */
  values: z.array(z.number().nullable()),
  /** Meters that were missing in at least one bucket. */
  missingMeterIds: z.array(z.string()),
});
export type ReportVirtualMeter = z.infer<typeof reportVirtualMeterSchema>;

/**
 * One node of the hierarchy with the consumption (and EV charging) of the meters assigned to it. A
 * node with its own meters totals them. What its child nodes do not explain is its `unassignedWh`,
 * which is 0 for a node without children. A node without meters totals its children. Nodes come depth
 * first, siblings by name.
 */
export const reportHierarchyNodeSchema = z.object({
  id: z.string(),
  /** The parent the report used: null for a top-level node, and for the node where a parent cycle was cut (with a warning). */
  parentId: z.string().nullable(),
  kind: z.enum(['building', 'area', 'system']),
  name: z.string(),
  meterIds: z.array(z.string()),
  meteredWh: z.number().nullable(),
  childrenWh: z.number(),
  totalWh: z.number(),
  unassignedWh: z.number(),
});
export type ReportHierarchyNode = z.infer<typeof reportHierarchyNodeSchema>;

export const reportHierarchySchema = z.object({
  siteConsumptionWh: z.number(),
  /** Sum of the top-level nodes' totals. */
  assignedWh: z.number(),
  /** Site consumption the nodes' meters do not explain, shown rather than hidden; may be negative when meters disagree. */
  unassignedWh: z.number(),
  nodes: z.array(reportHierarchyNodeSchema),
});
export type ReportHierarchy = z.infer<typeof reportHierarchySchema>;

/** A 15-minute interval with its average grid import, the basis of a demand charge. */
export const demandPeakSchema = z.object({ start: z.number(), end: z.number(), powerKw: z.number() });

export const monthlyDemandSchema = z.object({
  /** Local calendar month, YYYY-MM. */
  month: z.string(),
  start: z.number(),
  end: z.number(),
  peak: demandPeakSchema.nullable(),
  demandCharge: z.number().nullable(),
});
export type MonthlyDemand = z.infer<typeof monthlyDemandSchema>;

export const reportCostSchema = z.object({
  currency: z.string(),
  importCost: z.number(),
  exportCredit: z.number(),
  /**
   * Sum of the demand charges of the calendar months that lie wholly in the period (see `monthlyDemand`);
   * null when none of them has one.
   */
  demandCharge: z.number().nullable(),
  /** Import cost minus export credit plus the demand charge. */
  net: z.number(),
  /** Import energy and cost per time-of-use period name ("flat" for a flat tariff, "default" outside all periods). */
  byTariffPeriod: z.array(z.object({ name: z.string(), importWh: z.number(), importCost: z.number() })),
  /** Import energy in buckets before the first tariff starts, which is not priced. */
  unpricedImportWh: z.number(),
});
export type ReportCost = z.infer<typeof reportCostSchema>;

/**
 * Whether the report has a cost: `priced`, or why not: no tariff applies to the period, a tariff's
 * currency differs from the organization's, or no grid meter has a reading in the period.
 */
export const costStatuses = ['priced', 'no-tariff', 'currency-mismatch', 'no-grid-data'] as const;
export const costStatusSchema = z.enum(costStatuses);
export type CostStatus = z.infer<typeof costStatusSchema>;

export const energyReportSchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  timeZone: z.string(),
  period: reportPeriodSchema,
  resolution: z.enum(bucketResolutions),
  sourceResolution: z.enum(reportSourceResolutions),
  totals: flowTotalsSchema,
  /** Source of the site's consumption: meters without a node, the grid balance, or the top-level nodes. */
  consumptionSource: z.enum(['meter', 'balance', 'nodes']).nullable(),
  /** Flows no meter of the site feeds. */
  missingFlows: z.array(energyFlowSchema),
  buckets: z.array(reportBucketSchema),
  meters: z.array(reportMeterSchema),
  virtualMeters: z.array(reportVirtualMeterSchema),
  hierarchy: reportHierarchySchema,
  /** Cost of the grid energy; null without a tariff or without any grid reading in the period. */
  cost: reportCostSchema.nullable(),
  costStatus: costStatusSchema,
  /** Highest 15-minute average grid import of the period; null without 15-minute grid import data. */
  peakDemand: demandPeakSchema.nullable(),
  /**
   * Each calendar month that lies wholly in the period, the billing period of a demand charge, with its
   * highest 15-minute average grid import and its demand charge (null without a peak or when its tariff
   * bills no demand). Empty for a day, a week or a custom period shorter than a month.
   */
  monthlyDemand: z.array(monthlyDemandSchema),
  indicators: energyIndicatorsSchema,
  /**
   * The previous period of the same kind, for comparison. While the period is still running, the previous
   * one counts only up to the same elapsed time from its start: `comparedUntil` (epoch ms) is that cut,
   * absent when the whole previous period is counted.
   */
  previous: z
    .object({ period: reportPeriodSchema, totals: flowTotalsSchema, netCost: z.number().nullable(), comparedUntil: z.number().optional() })
    .nullable(),
  /** Notes for the reader, such as a virtual meter that could not be evaluated or a period without a tariff. */
  warnings: z.array(z.string()),
});
export type EnergyReport = z.infer<typeof energyReportSchema>;

/** One site's row of the organization-wide view. */
export const organizationEnergySiteSchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  timeZone: z.string(),
  period: reportPeriodSchema,
  totals: flowTotalsSchema,
  netCost: z.number().nullable(),
  peakDemand: demandPeakSchema.nullable(),
  selfSufficiencyRatio: z.number().nullable(),
  pvSelfConsumptionRatio: z.number().nullable(),
  co2Kg: z.number().nullable(),
});

export const organizationEnergySchema = z.object({
  organizationId: z.string(),
  currency: z.string(),
  periodKind: z.enum(periodKinds),
  sites: z.array(organizationEnergySiteSchema),
  totals: flowTotalsSchema.extend({ netCost: z.number().nullable(), co2Kg: z.number().nullable() }),
});
export type OrganizationEnergy = z.infer<typeof organizationEnergySchema>;
