import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeQuality, pointId } from '@simtestlab/sync';
import { runLiveLatency } from './live-latency-exp.tmp';
const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const exp = process.env.EXP ?? '';
(globalThis as any).patch = (runtime: any) => {
  const writer = runtime.writer;
  if (exp.includes('col')) {
    let cap = 1 << 16, n = 0;
    let ids = new Int32Array(cap), ts = new Float64Array(cap), vals = new Float64Array(cap), q = new Int32Array(cap);
    writer.add = (s: any) => {
      if (n === cap) { cap *= 2; const a = new Int32Array(cap); a.set(ids); ids = a; const b = new Float64Array(cap); b.set(ts); ts = b; const c = new Float64Array(cap); c.set(vals); vals = c; const d = new Int32Array(cap); d.set(q); q = d; }
      ids[n] = s.pointId; ts[n] = s.ts; vals[n] = s.value; q[n] = s.quality; n++;
      writer.aggregate(s);
    };
    const origCommit = writer.commit.bind(writer);
    writer.commit = () => { const arr = new Array(n); for (let i = 0; i < n; i++) arr[i] = { pointId: ids[i], ts: ts[i], value: vals[i], quality: q[i] }; writer.pending = arr; n = 0; return origCommit(); };
  }
  if (exp.includes('key')) {
    runtime.ingest = (device: any, t: number, readings: any[]) => {
      const prefix = device.key + '.';
      for (const reading of readings) {
        const point = runtime.registry.get(prefix + reading.point);
        if (!point) continue;
        const sample = { point: point.key, ts: t, value: reading.value, quality: reading.quality };
        writer.add({ pointId: point.id, ts: t, value: reading.value, quality: encodeQuality(reading.quality) });
        runtime.lastValues.set(sample); runtime.changedPoints.add(point.id); runtime.hub.publish(sample);
      }
    };
  }
};
import { PerformanceObserver } from 'node:perf_hooks';
for (let i = 0; i < Number(process.env.RUNS ?? 3); i++) {
  const gcs: number[] = [];
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push(e.duration); });
  obs.observe({ entryTypes: ['gc'] });
  const r = await runLiveLatency({ mode: 'runtime', sliceMs: 10, samplesPerSecond: 20000, warmupMs: 1000, measureMs: Number(process.env.MEASURE ?? 5000), tempFolder: dir });
  console.log(exp, r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), r.maxMs.toFixed(2), 'loop', r.loopDelayP99Ms.toFixed(2), r.loopDelayMaxMs.toFixed(2), 'gc n', gcs.length, 'sum', gcs.reduce((a, b) => a + b, 0).toFixed(0), 'max', Math.max(...gcs).toFixed(1));
  obs.disconnect();
}
rmSync(dir, { recursive: true });
