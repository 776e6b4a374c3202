import type { Redis } from 'ioredis';
import type { Caller } from '../access/caller';
import type { PermissionCache } from '../access/permission-cache';
import type { TokenSettings } from '../auth/access-tokens';
import type { LoginRateLimiter } from '../auth/login-rate-limit';
import type { KeySet } from '../auth/signing-keys';
import type { Sql } from '../db/connect';
import type { ElectricSettings } from '../shapes/electric-proxy';
import type { Logger } from '../logger';

/** Dependencies of the HTTP layer on the rest of the service. */
export interface AppDeps {
  sql: Sql;
  redis: Redis;
  redisPrefix: string;
  keys: () => KeySet;
  tokens: TokenSettings;
  permissions: PermissionCache;
  loginRateLimiter: LoginRateLimiter;
  logger: Logger;
  publicUrl: string;
  corsOrigins: readonly string[];
  trustProxy: boolean;
  cookieSecure: boolean;
  apiDocsAccess: 'developers' | 'public';
  /** A real Electric service that serves the table-backed shapes, with the hub as its authorizing proxy. */
  electric?: ElectricSettings;
}

/** Hono context variables set by the middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Set on every route that requires authentication, before the handler runs. */
    caller: Caller;
    /** Expiry of the access token that authenticated the request, epoch seconds. */
    tokenExpiresAtS: number;
    clientIp: string | null;
  };
}
