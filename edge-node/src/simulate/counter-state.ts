import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { DatasetReplay } from './replay';

/*
 * Keeps a simulator's energy counters in a JSON file, so a restarted simulator counts on from the
 * values it served last instead of starting its meters again. Without it, every restart looks like a
 * meter reset to the edge, which then books the whole new reading as energy.
 */

/** How often the counters are written while the simulator runs. */
export const COUNTER_SAVE_INTERVAL_MS = 1000;

const counterFileSchema = z.strictObject({
  countersWh: z.record(z.string(), z.number()),
  /** False while the simulator runs, true once it stopped and wrote its final values. */
  stoppedCleanly: z.boolean(),
});

/** Counter values read from a counter file. */
export type CounterFile = z.infer<typeof counterFileSchema>;

/** Keeps the counters of a running replay in its file; `stop` writes the final values. */
export interface CounterState {
  stop(): void;
}

/** Reads a counter file; returns undefined when it is missing. Throws when it is not a valid counter file. */
export function readCounterFile(path: string): CounterFile | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = counterFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a counter file: ${parsed.error.message}`);
  return parsed.data;
}

function writeCounterFile(path: string, content: CounterFile): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content)}\n`);
  renameSync(temporary, path);
}

/**
 * Continues the replay's counters from `path` and writes them there every second and on `stop`.
 * After a stop that wrote no final values (a crash or SIGKILL), each counter starts higher by the most
 * it can have grown since the last write, so the edge never reads a lower value. A file that cannot be
 * read is logged and replaced.
 */
export function keepCountersIn(path: string, replay: DatasetReplay, logger: Logger): CounterState {
  const counters = replay.counterNames();
  let saved: CounterFile | undefined;
  try {
    saved = readCounterFile(path);
  } catch (error) {
    logger.warn({ file: path, err: error }, 'invalid counter file: the energy counters start again');
  }
  if (saved !== undefined) {
    const startValuesWh: Record<string, number> = {};
    for (const counter of counters) {
      const valueWh = saved.countersWh[counter];
      if (valueWh === undefined) continue;
      startValuesWh[counter] = saved.stoppedCleanly ? valueWh : valueWh + replay.maxCounterGrowthWh(counter, 2 * COUNTER_SAVE_INTERVAL_MS);
    }
    replay.continueCounters(startValuesWh);
    logger.info({ file: path, countersWh: startValuesWh, stoppedCleanly: saved.stoppedCleanly }, 'energy counters continue from the counter file');
  }

  mkdirSync(dirname(path), { recursive: true });
  let failing = false;
  const save = (stoppedCleanly: boolean) => {
    const countersWh = Object.fromEntries(counters.map((counter) => [counter, replay.energyWh(counter)]));
    try {
      writeCounterFile(path, { countersWh, stoppedCleanly });
      failing = false;
    } catch (error) {
      // Logged once per run of failures, because the timer retries every second.
      if (!failing) logger.error({ file: path, err: error }, 'writing the counter file failed: a restart may book a meter reset');
      failing = true;
    }
  };
  save(false);
  const timer = setInterval(() => save(false), COUNTER_SAVE_INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      save(true);
    },
  };
}
