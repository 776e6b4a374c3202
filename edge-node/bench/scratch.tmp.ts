import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLiveLatency } from './live-latency-exp.tmp';
const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const mode = (process.argv[2] ?? 'runtime') as 'runtime';
for (let i = 0; i < Number(process.argv[3] ?? 1); i++) {
  const r = await runLiveLatency({ mode, sliceMs: 10, samplesPerSecond: 20000, warmupMs: 1000, measureMs: 5000, tempFolder: dir });
  console.log(mode, r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), r.maxMs.toFixed(2), 'loop', r.loopDelayP99Ms.toFixed(2), r.loopDelayMaxMs.toFixed(2));
}
rmSync(dir, { recursive: true });
