import { randomUUID } from 'node:crypto';
import type { UplinkEdgeMessage } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { UplinkRequestHandler } from '../../src/cloud/uplink-requests';
import { createSilentLogger } from '../../src/logger';
import { openDatabase } from '../../src/store/database';

/*
 * A control command whose service throws: the hub never resends a command, so the edge returns an
 * error at once saying the outcome is unknown, instead of leaving the hub to time out.
 */

describe('uplink request failures', () => {
  it('answers a command that throws with device_error', async () => {
    const db = openDatabase(':memory:');
    const replies: UplinkEdgeMessage[] = [];
    const handler = new UplinkRequestHandler({
      db,
      logger: createSilentLogger(),
      alarms: { apply: () => ({ ok: false, code: 'unknown_alarm', message: 'none' }) },
      control: { execute: () => Promise.reject(new Error('driver crashed')), endRemoteLeases: () => Promise.resolve() },
    });
    const requestId = randomUUID();

    handler.handle(
      { type: 'control-command', requestId, point: 'ahu.sp', command: { kind: 'release' }, user: { id: 'u1', email: 'op@example.com', name: 'Op' } },
      (message) => replies.push(message),
    );
    await new Promise((resolve) => setImmediate(resolve));
    db.close();

    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expect(reply.type).toBe('control-result');
    if (reply.type !== 'control-result' || reply.result.ok) throw new Error('expected a refused control result');
    expect(reply.requestId).toBe(requestId);
    expect(reply.result.code).toBe('device_error');
    expect(reply.result.message).toContain('driver crashed');
    expect(reply.result.message).toContain('outcome is unknown');
  });
});
