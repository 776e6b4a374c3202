import { z } from 'zod';
import { effectiveRoleSchema } from '../access/permissions';
import { alarmSeveritySchema } from '../alarms/alarm-rule';

/**
 * Shapes the hub serves to a paired edge over the Electric shape protocol. The hub chooses each shape's
 * table and row filter from the edge's credential: every shape contains the rows of the edge's own site,
 * except `jwks`, which is the same for every edge. Row values are the columns below, as
 * `@electric-sql/client` parses them from the `electric-schema` header (numbers, booleans and JSON
 * parsed, timestamps left as ISO 8601 strings).
 */
export const shapeNames = ['site', 'site_nodes', 'devices', 'points', 'alarm_rules', 'site_users', 'jwks', 'energy_settings'] as const;
export const shapeNameSchema = z.enum(shapeNames);
export type ShapeName = z.infer<typeof shapeNameSchema>;

const uuid = z.string().min(1);

export const shapeRowSchemas = {
  site: z.object({
    id: uuid,
    organization_id: uuid,
    name: z.string(),
    time_zone: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    operator_control: z.boolean(),
  }),
  site_nodes: z.object({
    id: uuid,
    site_id: uuid,
    parent_id: uuid.nullable(),
    kind: z.enum(['building', 'area', 'system']),
    name: z.string(),
  }),
  /** `config` is the device in the shared model without its points. */
  devices: z.object({
    id: uuid,
    site_id: uuid,
    node_id: uuid.nullable(),
    key: z.string(),
    driver: z.string(),
    config: z.record(z.string(), z.unknown()),
  }),
  /** `config` is the point in the shared model of its device's driver; `position` orders a device's points. */
  points: z.object({
    id: uuid,
    site_id: uuid,
    device_id: uuid,
    key: z.string(),
    position: z.number().int(),
    config: z.record(z.string(), z.unknown()),
  }),
  /**
   * `condition` is an `alarmConditionSchema` object. The edge checks it when it loads the rules and
   * skips, with a log line, a rule whose condition it cannot read.
   */
  alarm_rules: z.object({
    id: uuid,
    site_id: uuid,
    point_id: uuid.nullable(),
    name: z.string(),
    severity: alarmSeveritySchema,
    enabled: z.boolean(),
    condition: z.record(z.string(), z.unknown()),
  }),
  /**
   * One row per user who may open the site, with the effective role there and the argon2id hash the
   * edge checks offline logins against (null until the user sets a password). Key: `user_id`.
   */
  site_users: z.object({
    user_id: uuid,
    site_id: uuid,
    email: z.string(),
    name: z.string(),
    role: effectiveRoleSchema,
    status: z.enum(['active', 'disabled']),
    password_hash: z.string().nullable(),
    developer: z.boolean(),
  }),
  /** The hub's public signing keys, for verifying its access tokens offline. Key: `kid`. */
  jwks: z.object({
    kid: z.string(),
    jwk: z.record(z.string(), z.unknown()),
  }),
  /**
   * The site's energy settings (tariffs, virtual meters, emission factor) and its organization's
   * currency: at most one row, absent until a site manager saves settings. Key: `site_id`. `settings`
   * is a `siteEnergySettingsSchema` object. The edge checks it when it loads it, and when it cannot
   * read them it keeps the last valid settings and logs why.
   */
  energy_settings: z.object({
    site_id: uuid,
    organization_id: uuid,
    currency: z.string(),
    settings: z.record(z.string(), z.unknown()),
  }),
} satisfies Record<ShapeName, z.ZodType>;

/** Column that keys each shape's rows. */
export const shapeKeyColumns: Record<ShapeName, string> = {
  site: 'id',
  site_nodes: 'id',
  devices: 'id',
  points: 'id',
  alarm_rules: 'id',
  site_users: 'user_id',
  jwks: 'kid',
  energy_settings: 'site_id',
};
