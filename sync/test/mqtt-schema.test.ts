import { describe, expect, it } from 'vitest';
import { deviceSchema, mqttPayloadPathSchema, mqttUrlSchema } from '../src/index';

function issueOf(result: { success: boolean; error?: { issues: Array<{ message: string; path: PropertyKey[] }> } }): { message: string; path: PropertyKey[] } | undefined {
  return result.success ? undefined : result.error?.issues[0];
}

describe('mqttPayloadPathSchema', () => {
  it.each(['a', 'oat_C', 'a.b[2].c', '[0].value', 'a[1][2]', 'irradiance.global_Wm2', 'outdoor temp', 'v[10]'])('accepts %j', (path) => {
    expect(mqttPayloadPathSchema.safeParse(path).success).toBe(true);
  });

  it.each(['', 'x[', 'a..b', 'a.', '.a', 'a[x]', 'a[1]b', 'a[-1]', 'a[]', 'a]', '[0]value', 'a.[0]'])('rejects %j', (path) => {
    const issue = issueOf(mqttPayloadPathSchema.safeParse(path));
    expect(issue?.message).toBe('invalid path: expected keys joined by "." with optional [n] array indexes, such as "a.b[2].c" or "[0].value"');
  });

  it('reports the path of the point', () => {
    const result = deviceSchema.safeParse({ key: 'weather', driver: 'mqtt', points: [{ key: 'oat', topic: 't', path: 'x[' }] });
    expect(issueOf(result)?.path).toEqual(['points', 0, 'path']);
  });
});

describe('mqttUrlSchema', () => {
  it.each(['mqtt://127.0.0.1:1883', 'mqtts://broker.example:8883', 'ws://127.0.0.1:8080/mqtt', 'wss://broker.example/mqtt', 'mqtt://user:secret@127.0.0.1', 'mqtt://[::1]:1883'])(
    'accepts %s',
    (url) => {
      expect(mqttUrlSchema.safeParse(url).success).toBe(true);
    },
  );

  it.each([
    ['http://127.0.0.1:1883', 'unsupported URL scheme "http:": expected mqtt://, mqtts://, ws:// or wss://, such as mqtt://127.0.0.1:1883'],
    ['tcp://127.0.0.1:1883', 'unsupported URL scheme "tcp:": expected mqtt://, mqtts://, ws:// or wss://, such as mqtt://127.0.0.1:1883'],
    ['broker', 'missing URL scheme: expected the broker URL to start with mqtt://, mqtts://, ws:// or wss://, such as mqtt://127.0.0.1:1883'],
    ['localhost:1883', 'missing URL scheme: expected the broker URL to start with mqtt://, mqtts://, ws:// or wss://, such as mqtt://127.0.0.1:1883'],
    ['mqtt:broker', 'missing URL scheme: expected the broker URL to start with mqtt://, mqtts://, ws:// or wss://, such as mqtt://127.0.0.1:1883'],
    ['mqtt://127.0.0.1:70000', 'invalid URL: expected mqtt://, mqtts://, ws:// or wss://, a host and an optional port from 1 to 65535, such as mqtt://127.0.0.1:1883'],
    ['mqtt://bro ker', 'invalid URL: expected mqtt://, mqtts://, ws:// or wss://, a host and an optional port from 1 to 65535, such as mqtt://127.0.0.1:1883'],
    ['mqtt://', 'missing host in the broker URL: expected mqtt://HOST[:PORT], such as mqtt://127.0.0.1:1883'],
    ['mqtts:///mqtt', 'missing host in the broker URL: expected mqtts://HOST[:PORT], such as mqtt://127.0.0.1:1883'],
  ])('rejects %s', (url, message) => {
    expect(issueOf(mqttUrlSchema.safeParse(url))?.message).toBe(message);
  });

  it('checks the device connection URL', () => {
    const result = deviceSchema.safeParse({ key: 'weather', driver: 'mqtt', connection: { url: 'http://127.0.0.1:1883' }, points: [] });
    expect(issueOf(result)?.path).toEqual(['connection', 'url']);
    const valid = deviceSchema.safeParse({ key: 'weather', driver: 'mqtt', connection: { url: 'mqtts://127.0.0.1:8883' }, points: [] });
    expect(valid.success).toBe(true);
  });
});
