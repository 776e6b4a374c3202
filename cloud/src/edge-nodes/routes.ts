import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../api/env';

export function registerEdgeNodeRoutes(_app: OpenAPIHono<AppEnv>, _deps: AppDeps): void {}
