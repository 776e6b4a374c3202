import { z } from 'zod';

/**
 * Control settings of a writable point, as `control` in the point definition. The point's `min`,
 * `max` and `dataType` bound every write, and these settings add the rest. The edge checks all of
 * them before every write, local or remote.
 */
export const pointControlSchema = z.strictObject({
  /** Largest change from the current value one write may make. */
  maxStep: z.number().finite().positive().optional(),
  /**
   * Largest change per second: the edge moves the point to a new value in steps of at most this much
   * per second, and reports the write done when the last step is confirmed.
   */
  rampPerSecond: z.number().finite().positive().optional(),
  /** Value the edge writes when a lease ends and `onRelease` is `safe_value`. */
  safeValue: z.union([z.number().finite(), z.boolean()]).optional(),
  /**
   * Action taken when a lease ends or a point is released: write `safeValue`, or give up the edge's command (BACnet:
   * write NULL at its priority, so a lower priority or the relinquish default takes over). `relinquish`
   * needs a BACnet commandable object.
   */
  onRelease: z.enum(['safe_value', 'relinquish']).default('safe_value'),
  /** Default lease of a remote write in seconds. */
  leaseS: z.number().int().min(5).max(86_400).default(60),
  /** Shortest time between two writes of this point, in milliseconds. */
  minIntervalMs: z.number().int().min(0).max(3_600_000).default(1_000),
  /** A dangerous point needs a second, confirming request with the token the first one returned. */
  dangerous: z.boolean().default(false),
  /** Largest difference between the value written and the value read back that still counts as confirmed. */
  verifyTolerance: z.number().finite().nonnegative().optional(),
  /** How long the edge keeps reading back before it reports that the device did not confirm. */
  verifyTimeoutMs: z.number().int().min(100).max(60_000).default(3_000),
});
export type PointControl = z.infer<typeof pointControlSchema>;

/** BACnet priorities the edge writes at: an on-site operator's write outranks a remote one. */
export const BACNET_LOCAL_PRIORITY = 8;
export const BACNET_REMOTE_PRIORITY = 10;
