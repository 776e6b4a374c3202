import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { runLiveLatency } from './live-latency-exp.tmp';
import { monotonicMs } from './stats';
const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const gcs: [number, number, number][] = [];
const origin = performance.timeOrigin;
const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push([e.startTime, e.duration, (e as any).detail?.kind]); });
obs.observe({ entryTypes: ['gc'] });
const hrAtPerf0 = monotonicMs() - performance.now();
const r = await runLiveLatency({ mode: 'runtime', sliceMs: 10, samplesPerSecond: 20000, warmupMs: 1000, measureMs: 5000, tempFolder: dir });
console.log(r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), r.maxMs.toFixed(2));
const g = globalThis as any; const rep = g.report; const m0 = g.measureFromMs;
// group high-latency samples by publish time (rounded to 1 ms)
const high = new Map<number, [number, number]>();
for (let i = 0; i < rep.count; i++) { if (rep.publishMs[i] < m0 || rep.latencyMs[i] < 5) continue; const k = Math.round(rep.publishMs[i] - m0); const e = high.get(k) ?? [0, 0]; e[0]++; e[1] = Math.max(e[1], rep.latencyMs[i]); high.set(k, e); }
console.log('high-latency groups (t since measure start, count, max latency):');
for (const [k, v] of [...high].sort((a, b) => a[0] - b[0])) console.log(k, v[0], v[1].toFixed(1));
console.log('events:'); for (const e of g.events) if (e[1] >= m0 - 100) console.log(e[0], (e[1] - m0).toFixed(1), e[2].toFixed(1), e[3]?.toFixed?.(1) ?? '');
console.log('gc > 2ms:'); for (const [s, d, k] of gcs) { const t = s + hrAtPerf0 - m0; if (d > 2 && t > -100) console.log(t.toFixed(1), d.toFixed(1), k); }
rmSync(dir, { recursive: true });
