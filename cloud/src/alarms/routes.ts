import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../api/env';
import type { AlarmActionDelivery } from './alarm-delivery';
import { createAlarmChangePublisher } from './alarm-publisher';
import { registerAlarmRoutes } from './alarm-routes';
import { registerAlarmHistoryRoutes } from './history-routes';
import { registerAlarmRuleRoutes } from './rule-routes';

/** Settings of the alarm API. */
export interface AlarmSettings {
  /** Sends recorded alarm actions to the edges; without it they wait in alarm_action_requests. */
  alarmDelivery?: AlarmActionDelivery;
}

/** Registers the alarm rules, the current alarms, alarm actions and the alarm history. */
export function registerAlarmApi(app: OpenAPIHono<AppEnv>, deps: AppDeps & AlarmSettings): void {
  const publish = createAlarmChangePublisher(deps.redis, deps.redisPrefix, deps.logger.child({ component: 'alarms' }));
  registerAlarmRuleRoutes(app, deps);
  registerAlarmRoutes(app, deps, { publish, ...(deps.alarmDelivery === undefined ? {} : { delivery: deps.alarmDelivery }) });
  registerAlarmHistoryRoutes(app, deps);
}
