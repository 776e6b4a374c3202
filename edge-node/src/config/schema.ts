import {
  alarmRuleSchema,
  deviceSchema,
  MAX_UPLOAD_EVENTS,
  MAX_UPLOAD_ROLLUPS,
  MAX_UPLOADS_IN_FLIGHT,
  mqttUrlSchema,
  siteEnergySettingsSchema,
  siteSchema,
  tariffSchema,
} from '@simtestlab/sync';
import { z } from 'zod';

/**
 * How the addresses of explicit points are written. `protocol` addresses are the 0-based addresses
 * sent on the wire with the point's `table`. `register-number` addresses are the 1-based numbers of
 * Modicon convention (00001 coils, 10001 discrete inputs, 30001 input registers, 40001 holding
 * registers, or their six-digit forms), and the table follows from the number.
 */
export const addressingSchema = z.enum(['protocol', 'register-number']);
export type Addressing = z.infer<typeof addressingSchema>;

/**
 * A device as written in a site file: the shared device model plus a template to take points from.
 * Points from the template come first; an explicit point with the same key replaces the template's.
 */
export const fileDeviceSchema = z
  .object({
    key: z.string(),
    driver: z.string(),
    template: z.string().min(1).optional(),
    addressing: addressingSchema.default('protocol'),
    points: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .loose();
export type FileDevice = z.infer<typeof fileDeviceSchema>;

export const retentionSchema = z.strictObject({
  rawDays: z.number().positive().default(7),
  '1mDays': z.number().positive().default(31),
  '15mDays': z.number().positive().default(180),
  '1hDays': z.number().positive().default(730),
  '1dDays': z.number().positive().default(3650),
});

export const storageSchema = z.strictObject({
  /** Maximum time a sample waits in memory before its transaction commits, which bounds the loss on a power cut. */
  commitIntervalMs: z.number().int().min(50).max(10_000).default(1000),
  retention: retentionSchema.default(retentionSchema.parse({})),
  /**
   * Size in MiB the database and its WAL should stay under. Above it the edge logs an error, sets a
   * metric and reports `degraded` on the health endpoint; it never deletes data to get back under.
   * The default is an estimate: a site of 1,000 points polled every 5 s needs about 10 GiB at the
   * default retention.
   */
  diskBudgetMb: z.number().positive().default(16_384),
});

/** Upload settings of a paired edge: drain rate, batch sizes, batches in flight and idle polling. */
export const uploadSchema = z.strictObject({
  /** Drain rate in rollup rows plus events per second; 0 lifts the limit. */
  maxRowsPerSecond: z.number().int().min(0).default(2000),
  /** Rollup rows per batch. The catch-up benchmark drained a 3-day backlog faster with 10,000 than with 5,000 or 20,000. */
  batchRollupRows: z.number().int().min(1).max(MAX_UPLOAD_ROLLUPS).default(10_000),
  /** Events per batch. */
  batchEvents: z.number().int().min(1).max(MAX_UPLOAD_EVENTS).default(1000),
  /** Batches sent and not yet acknowledged at once, up to the hub's limit per edge; 1 sends one batch at a time. */
  maxUploadsInFlight: z.number().int().min(1).max(MAX_UPLOADS_IN_FLIGHT).default(MAX_UPLOADS_IN_FLIGHT),
  /** How often an empty outbox is checked again, in ms. */
  idleIntervalMs: z.number().int().min(100).max(600_000).default(5000),
});

export const cloudSchema = z.strictObject({
  upload: uploadSchema.default(uploadSchema.parse({})),
});

/** Alarm rules of a standalone site, each id once; a paired edge also runs the rules the hub syncs. */
export const fileAlarmRulesSchema = z.array(alarmRuleSchema).superRefine((rules, context) => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate alarm rule id "${rule.id}"` });
    seen.add(rule.id);
  });
});

/**
 * Energy settings of a standalone site: the fields of the hub's site energy settings (tariffs,
 * virtual meters, emission factor, night window) plus `currency`, the ISO 4217 code of the report's
 * costs. The energy routes use them while no synced `energy_settings` row exists. Once the hub syncs
 * one, its settings and currency replace this section as a whole. Every tariff must be priced in
 * `currency`, so a site with tariffs must set it.
 */
export const fileEnergySchema = siteEnergySettingsSchema
  .safeExtend({ currency: tariffSchema.shape.currency.optional() })
  .strict()
  .superRefine((energy, context) => {
    const { currency } = energy;
    if (currency === undefined) {
      const first = energy.tariffs[0];
      if (first !== undefined) {
        context.addIssue({ code: 'custom', path: ['currency'], message: `missing currency: the tariffs are priced in ${first.tariff.currency}, so set currency: ${first.tariff.currency}` });
      }
      return;
    }
    for (const [index, dated] of energy.tariffs.entries()) {
      if (dated.tariff.currency !== currency) {
        context.addIssue({
          code: 'custom',
          path: ['tariffs', index, 'tariff', 'currency'],
          message: `tariff currency ${dated.tariff.currency} differs from the site's currency ${currency}: price every tariff in ${currency}`,
        });
      }
    }
  });
export type FileEnergy = z.infer<typeof fileEnergySchema>;

export const siteFileSchema = z.strictObject({
  site: siteSchema,
  mqtt: z.strictObject({ url: mqttUrlSchema }).optional(),
  storage: storageSchema.default(storageSchema.parse({})),
  cloud: cloudSchema.default(cloudSchema.parse({})),
  devices: z.array(fileDeviceSchema).default([]),
  alarms: fileAlarmRulesSchema.default([]),
  energy: fileEnergySchema.optional(),
});
export type SiteFile = z.infer<typeof siteFileSchema>;

/** The validated configuration the edge node runs on: every device resolved against the model. */
export const siteConfigSchema = siteFileSchema.extend({
  devices: z.array(deviceSchema),
});
export type SiteConfig = z.infer<typeof siteConfigSchema>;
export type StorageConfig = z.infer<typeof storageSchema>;
export type UploadConfig = z.infer<typeof uploadSchema>;
