import type { Sql } from '../db/connect';
import type { Logger } from '../logger';

/** Channel that the change_log triggers notify; the payload is a site id, or "global" for jwks. */
export const SHAPE_CHANGES_CHANNEL = 'shape_changes';

/** Returns the notification payload of the changes of a stream with this site_id. */
export function notificationKey(siteId: string | null): string {
  return siteId ?? 'global';
}

/** Interest in one payload, taken before a read so a notification during the read is not lost. */
export interface ChangeSubscription {
  /**
   * Resolves when a notification has arrived since the last call, or when `timeoutMs` passes or
   * `signal` aborts. Returns whether a notification arrived.
   */
  next(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  close(): void;
}

/**
 * One LISTEN connection per pool, shared by every held shape request. When the connection is
 * established again after a loss, every subscriber is woken, because notifications sent meanwhile are
 * lost.
 */
export class ChangeNotifier {
  readonly #subscribers = new Map<string, Set<() => void>>();
  #listening: Promise<void> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
  ) {}

  /** Starts listening, once; a failed start is tried again on the next call. */
  async start(): Promise<void> {
    this.#listening ??= this.sql
      .listen(
        SHAPE_CHANGES_CHANNEL,
        (payload) => this.#wake(payload),
        () => this.#wakeAll(),
      )
      .then(() => undefined)
      .catch((error: unknown) => {
        this.#listening = undefined;
        throw new Error(`LISTEN ${SHAPE_CHANGES_CHANNEL} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
    return this.#listening;
  }

  subscribe(key: string): ChangeSubscription {
    let notified = false;
    let resolveWait: ((notified: boolean) => void) | undefined;
    const onNotify = () => {
      notified = true;
      resolveWait?.(true);
    };
    const set = this.#subscribers.get(key) ?? new Set();
    set.add(onNotify);
    this.#subscribers.set(key, set);

    return {
      next: (timeoutMs, signal) => {
        if (notified) {
          notified = false;
          return Promise.resolve(true);
        }
        return new Promise<boolean>((resolve) => {
          const finish = (result: boolean) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolveWait = undefined;
            notified = false;
            resolve(result);
          };
          const onAbort = () => finish(false);
          const timer = setTimeout(() => finish(false), timeoutMs);
          signal?.addEventListener('abort', onAbort, { once: true });
          resolveWait = finish;
          if (signal?.aborted) finish(false);
        });
      },
      close: () => {
        set.delete(onNotify);
        if (set.size === 0 && this.#subscribers.get(key) === set) this.#subscribers.delete(key);
      },
    };
  }

  #wake(payload: string): void {
    for (const onNotify of this.#subscribers.get(payload) ?? []) onNotify();
  }

  #wakeAll(): void {
    this.logger.debug({ channel: SHAPE_CHANGES_CHANNEL }, 'listening for shape changes');
    for (const set of this.#subscribers.values()) for (const onNotify of set) onNotify();
  }
}

const notifiers = new WeakMap<Sql, ChangeNotifier>();

/** Returns the notifier of a pool, creating it on first use. */
export function changeNotifierFor(sql: Sql, logger: Logger): ChangeNotifier {
  let notifier = notifiers.get(sql);
  if (notifier === undefined) {
    notifier = new ChangeNotifier(sql, logger);
    notifiers.set(sql, notifier);
  }
  return notifier;
}
