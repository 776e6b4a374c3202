import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../api/env';

export function registerUserRoutes(_app: OpenAPIHono<AppEnv>, _deps: AppDeps): void {}
