import { z } from 'zod';

/**
 * Control commands. A command writes a value to a writable point, or releases it. The edge runs and
 * checks every command (right, limits, rate, confirmation), whether it came from its own API or from
 * the hub over the uplink. The hub only relays remote commands and never queues one.
 *
 * A remote write holds for a lease (`leaseS`, the point's default when absent). A write on the edge's own
 * API holds until it is changed or released, unless it gives `leaseS`. When a lease ends, or the link to
 * the hub is lost while remote leases run, the edge applies the point's release (safe value or BACnet
 * relinquish).
 */

export const controlValueSchema = z.union([z.number(), z.boolean(), z.string().max(200)]);
export type ControlValue = z.infer<typeof controlValueSchema>;

/** Body of a write on either REST API (`POST .../points/{point}/control`). */
export const controlWriteBodySchema = z.strictObject({
  value: controlValueSchema,
  leaseS: z.number().int().min(5).max(86_400).optional(),
  /** The token a first request to a dangerous point returned, to confirm it. */
  confirmationToken: z.string().min(1).max(200).optional(),
});
export type ControlWriteBody = z.infer<typeof controlWriteBodySchema>;

/** Origin of a command. On-site writes outrank remote ones. */
export const controlSources = ['local', 'remote'] as const;
export const controlSourceSchema = z.enum(controlSources);
export type ControlSource = z.infer<typeof controlSourceSchema>;

/** Reasons a command was rejected or failed, with the HTTP status both REST APIs return for each. */
export const controlErrorStatus = {
  /** The hub has no uplink from the site's edge; the command was not sent. */
  edge_offline: 503,
  /** The edge returned no result within the hub's time limit, so the outcome is unknown. */
  edge_timeout: 504,
  not_permitted: 403,
  unknown_point: 404,
  not_writable: 409,
  wrong_type: 422,
  out_of_limits: 422,
  step_too_large: 422,
  rate_limited: 429,
  confirmation_required: 428,
  /** An on-site write controls the point, so a remote command may not change it. */
  held_locally: 409,
  /** The device refused the write or could not be reached. */
  device_error: 502,
  /** The value read back did not match in time. */
  not_confirmed: 502,
} as const;
export type ControlErrorCode = keyof typeof controlErrorStatus;
export const controlErrorCodeSchema = z.enum(Object.keys(controlErrorStatus) as [ControlErrorCode, ...ControlErrorCode[]]);

/** The lease a point is under after a command. `expiresAt` is null for an on-site write without expiry. */
export const controlLeaseSchema = z.strictObject({
  point: z.string(),
  source: controlSourceSchema,
  value: controlValueSchema,
  userId: z.string(),
  userName: z.string(),
  startedAt: z.number().int(),
  expiresAt: z.number().int().nullable(),
});
export type ControlLease = z.infer<typeof controlLeaseSchema>;

export const controlResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    point: z.string(),
    command: z.enum(['write', 'release']),
    /** Value before the command, as last read. */
    previousValue: z.union([controlValueSchema, z.null()]),
    /** Value written: the requested one, or the safe value on a release; null for a BACnet relinquish. */
    value: z.union([controlValueSchema, z.null()]),
    /** Value read back that confirmed the command. */
    readBack: z.union([controlValueSchema, z.null()]),
    /** The lease now in force, or null when the point is released. */
    lease: controlLeaseSchema.nullable(),
    /** Id of the audit entry on the edge. */
    auditId: z.number().int().optional(),
  }),
  z.strictObject({
    ok: z.literal(false),
    point: z.string(),
    code: controlErrorCodeSchema,
    /** Description of the failure and the next step, naming the limit or value in question. */
    message: z.string(),
    /** For `out_of_limits` and `step_too_large`: the limit that was crossed. */
    limit: z.strictObject({ name: z.string(), value: z.number() }).optional(),
    /** For `confirmation_required`: send it back as `confirmationToken` before `confirmationExpiresAt`. */
    confirmationToken: z.string().optional(),
    confirmationExpiresAt: z.number().int().optional(),
    /** For `rate_limited`: when the next write may be made. */
    retryAt: z.number().int().optional(),
  }),
]);
export type ControlResult = z.infer<typeof controlResultSchema>;
