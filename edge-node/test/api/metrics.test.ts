import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import type { MetricSource } from '../../src/api/metrics';
import { createSilentLogger } from '../../src/logger';
import { bearer } from '../auth/auth-support';
import { createApiFixture, feedHalfHour, pastHourStart, requestAsAdmin, testSiteConfig, type ApiFixture } from './api-fixture';

/** One sample line of the Prometheus text format 0.0.4. */
interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  types: Map<string, string>;
  samples: MetricSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? (\\S+)$`);
const FLOAT = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)$/;

/** Family a sample belongs to: histogram samples carry a suffix. */
function familyOf(name: string, types: Map<string, string>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && types.get(base) === 'histogram') return base;
  }
  return name;
}

/**
 * Parses the text exposition format strictly: HELP and TYPE comments, then `name{labels} value`
 * lines whose family was typed before. Throws naming the line that breaks a rule.
 */
function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('exposition does not end with a newline');
  const types = new Map<string, string>();
  const samples: MetricSample[] = [];
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1} "${line}"`;
      if (line.startsWith('# HELP ')) {
        if (!new RegExp(`^# HELP ${NAME} \\S`).test(line)) throw new Error(`${where}: malformed HELP`);
        return;
      }
      if (line.startsWith('# TYPE ')) {
        const match = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
        if (!match) throw new Error(`${where}: malformed TYPE`);
        if (types.has(match[1]!)) throw new Error(`${where}: second TYPE for ${match[1]}`);
        types.set(match[1]!, match[2]!);
        return;
      }
      const match = SAMPLE_LINE.exec(line);
      if (!match) throw new Error(`${where}: not "name{labels} value"`);
      const [, name, labelText, valueText] = match;
      if (!FLOAT.test(valueText!)) throw new Error(`${where}: value is not a float`);
      if (!types.has(familyOf(name!, types))) throw new Error(`${where}: no TYPE line before the sample`);
      const labels: Record<string, string> = {};
      for (const label of (labelText ?? '').matchAll(new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`, 'g'))) {
        labels[label[1]!] = label[2]!.replace(/\\(["\\n])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
      }
      samples.push({ name: name!, labels, value: Number(valueText!.replace('Inf', 'Infinity')) });
    });
  return { types, samples };
}

function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  return exposition.samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;
}

let fixture: ApiFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('/metrics', () => {
  it('parses as Prometheus text', async () => {
    fixture = await createApiFixture();
    await feedHalfHour(fixture, pastHourStart());

    const response = await requestAsAdmin(fixture, '/metrics');
    const exposition = parseExposition(await response.text());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(exposition.types.get('edge_samples_stored_total')).toBe('counter');
    expect(exposition.types.get('edge_ws_clients')).toBe('gauge');
    expect(valueOf(exposition, 'edge_samples_stored_total')).toBe(540);
    expect(valueOf(exposition, 'edge_commits_total')).toBe(1);
    expect(valueOf(exposition, 'edge_samples_pending')).toBe(0);
    expect(valueOf(exposition, 'edge_ws_clients')).toBe(0);
  });

  it('has per-device poll metrics', async () => {
    const port = await closedPort();
    fixture = await createApiFixture(
      testSiteConfig({
        devices: [{ key: 'dead-meter', driver: 'modbus-tcp', pollIntervalMs: 500, connection: { host: '127.0.0.1', port, timeoutMs: 200 }, points: [{ key: 'powerW', address: 0 }] }],
      }),
      { startPollers: true },
    );
    const poller = fixture.runtime.pollers.get('dead-meter')!;
    const deadline = Date.now() + 5000;
    while (poller.stats.polls < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    const exposition = parseExposition(await (await requestAsAdmin(fixture, '/metrics')).text());

    const device = { device: 'dead-meter' };
    expect(valueOf(exposition, 'edge_device_online', device)).toBe(0);
    expect(valueOf(exposition, 'edge_poll_failures_total', device)).toBeGreaterThanOrEqual(2);
    const buckets = exposition.samples.filter((sample) => sample.name === 'edge_poll_duration_seconds_bucket' && sample.labels.device === 'dead-meter');
    expect(buckets.at(-1)!.labels.le).toBe('+Inf');
    expect(buckets.at(-1)!.value).toBe(valueOf(exposition, 'edge_poll_duration_seconds_count', device));
    buckets.slice(1).forEach((bucket, index) => expect(bucket.value).toBeGreaterThanOrEqual(buckets[index]!.value));
  });

  it('escapes label values from metric sources', async () => {
    fixture = await createApiFixture();
    const source: MetricSource = () => [
      {
        name: 'edge_test_driver_errors_total',
        help: 'Errors per broker.',
        type: 'counter',
        values: [{ labels: { broker: 'mqtt://127.0.0.1:15033/"a"\\b\nc' }, value: 3 }],
      },
    ];
    const app = createApp(fixture.runtime, createSilentLogger(), { auth: fixture.auth, metricSources: [source] });

    const exposition = parseExposition(await (await app.request('/metrics', bearer(fixture.token))).text());

    expect(valueOf(exposition, 'edge_test_driver_errors_total', { broker: 'mqtt://127.0.0.1:15033/"a"\\b\nc' })).toBe(3);
  });
});

describe('exposition parser', () => {
  const broken = [
    { name: 'a sample without TYPE', text: 'edge_x 1\n' },
    { name: 'a value that is not a float', text: '# TYPE edge_x gauge\nedge_x one\n' },
    { name: 'an unquoted label', text: '# TYPE edge_x gauge\nedge_x{device=meter} 1\n' },
    { name: 'a raw newline escape', text: '# TYPE edge_x gauge\nedge_x{device="a\\tb"} 1\n' },
    { name: 'a missing final newline', text: '# TYPE edge_x gauge\nedge_x 1' },
  ];

  for (const { name, text } of broken) {
    it(`rejects ${name}`, () => {
      expect(() => parseExposition(text)).toThrow();
    });
  }
});
