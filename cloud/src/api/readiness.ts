import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from './env';

/**
 * How long each readiness check may take. It stays below the 3 s timeoutSeconds of the Kubernetes
 * readiness probe, so a slow backend yields a 503 that names it instead of a probe timeout.
 */
export const READINESS_CHECK_TIMEOUT_MS = 1_000;

/** Maximum length of a check's error text, in characters, so a long driver message stays readable in a probe log. */
const MAX_ERROR_LENGTH = 200;

/** Dependencies of the readiness route beyond the app's own. */
export interface ReadinessSettings {
  /** Returns true once the hub has started to drain on a stop signal; readiness then fails. */
  isDraining?: () => boolean;
}

const checkStateSchema = z.enum(['ok', 'failed', 'skipped']);

const readinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready', 'draining']),
    checks: z.object({ postgres: checkStateSchema, redis: checkStateSchema }),
    errors: z
      .object({ postgres: z.string().optional(), redis: z.string().optional() })
      .optional()
      .openapi({ description: 'Error message of each failed check, without credentials or connection URLs' }),
  })
  .openapi('Readiness');

type CheckName = 'postgres' | 'redis';
type CheckOutcome = { state: 'ok' } | { state: 'failed'; error: string };

const readinessRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary: 'Readiness: Postgres answers SELECT 1 and Redis answers PING, and the hub is not draining',
  responses: {
    200: { description: 'Ready for traffic', content: { 'application/json': { schema: readinessSchema } } },
    503: { description: 'A check failed or the hub is shutting down; the body names the failed check', content: { 'application/json': { schema: readinessSchema } } },
  },
});

/** Removes URLs from a driver's message, because a connection URL may carry a password. */
function describeFailure(error: unknown): string {
  const raw = error instanceof Error ? error.message || ((error as NodeJS.ErrnoException).code ?? error.name) : String(error);
  const redacted = raw.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '(URL removed)');
  return redacted.length > MAX_ERROR_LENGTH ? `${redacted.slice(0, MAX_ERROR_LENGTH)}…` : redacted;
}

/** Runs `check`, failing it after READINESS_CHECK_TIMEOUT_MS; `onTimeout` may cancel the work. */
async function runCheck(name: CheckName, check: () => Promise<unknown>, onTimeout: () => void = () => {}): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`${name} did not answer within ${READINESS_CHECK_TIMEOUT_MS} ms`));
    }, READINESS_CHECK_TIMEOUT_MS);
  });
  const work = check();
  // A check that settles after its timeout must not raise an unhandled rejection.
  work.catch(() => undefined);
  try {
    await Promise.race([work, timedOut]);
    return { state: 'ok' };
  } catch (error) {
    return { state: 'failed', error: describeFailure(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Registers `GET /readyz`, which queries Postgres and Redis through the app's own pool and client. A
 * probe calls it every few seconds, so a failure is logged when the set of failed checks changes, not
 * on every call.
 */
export function registerReadinessRoute(app: OpenAPIHono<AppEnv>, deps: Pick<AppDeps, 'sql' | 'redis' | 'logger'> & ReadinessSettings): void {
  let lastFailed = '';
  app.openapi(readinessRoute, async (c) => {
    if (deps.isDraining?.()) return c.json({ status: 'draining' as const, checks: { postgres: 'skipped' as const, redis: 'skipped' as const } }, 503);

    const query = deps.sql`SELECT 1`;
    const [postgres, redis] = await Promise.all([
      // Cancelling takes the query out of the pool's queue when every connection is busy.
      runCheck('postgres', () => query.execute(), () => query.cancel()),
      runCheck('redis', () => deps.redis.ping()),
    ]);
    if (postgres.state === 'ok' && redis.state === 'ok') {
      if (lastFailed !== '') deps.logger.info({ previouslyFailed: lastFailed }, 'readiness checks pass again');
      lastFailed = '';
      return c.json({ status: 'ready' as const, checks: { postgres: 'ok' as const, redis: 'ok' as const } }, 200);
    }

    const errors: { postgres?: string; redis?: string } = {};
    if (postgres.state === 'failed') errors.postgres = postgres.error;
    if (redis.state === 'failed') errors.redis = redis.error;
    const failed = Object.keys(errors).join(',');
    if (failed !== lastFailed) deps.logger.warn({ errors }, 'readiness check failed; /readyz responds 503 until it passes');
    lastFailed = failed;
    return c.json({ status: 'not_ready' as const, checks: { postgres: postgres.state, redis: redis.state }, errors }, 503);
  });
}
