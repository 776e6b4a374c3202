/** Settings of webhook sending, from the hub's configuration. */
export interface WebhookSettings {
  /**
   * Whether webhook URLs may use plain http and point at loopback, private, link-local or other
   * non-public addresses. Off in production, so an org admin cannot make the hub call into its own
   * network. Tests and labs turn it on with WEBHOOK_ALLOW_PRIVATE=true.
   */
  allowPrivate: boolean;
  /** How long one request may take, connecting included. */
  timeoutMs: number;
}

/** Settings of the notification worker. */
export interface NotificationWorkerSettings extends WebhookSettings {
  /** Attempts of one delivery before it is given up, the first one included. */
  maxAttempts: number;
  /** Delay before the first retry; each later retry doubles it, up to `maxBackoffMs`. */
  backoffBaseMs: number;
  maxBackoffMs: number;
  /** Pause between two rounds of the worker. */
  pollIntervalMs: number;
}

/** The configuration variable that `allowPrivate` comes from, which error messages name. */
export const ALLOW_PRIVATE_VARIABLE = 'WEBHOOK_ALLOW_PRIVATE';
