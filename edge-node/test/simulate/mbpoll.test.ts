import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/simulate/datasets/catalog';
import { startSimulator, type RunningSimulator } from '../../src/simulate/simulators';

const run = promisify(execFile);
const MINUTE_MS = 60_000;
const ROW = 11 * 60 + 22;

/** Runs Debian's mbpoll once against 127.0.0.1 and returns the values it printed, by reference number. */
async function mbpoll(port: number, args: string[]): Promise<Map<number, string>> {
  let stdout: string;
  try {
    ({ stdout } = await run('mbpoll', ['-m', 'tcp', '-p', String(port), '-1', '-o', '0.5', ...args, '127.0.0.1'], { timeout: 10_000 }));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('mbpoll is not installed: apt-get install mbpoll', { cause: error });
    throw new Error(`mbpoll failed: ${failure.stderr ?? ''}${failure.stdout ?? ''}`, { cause: error });
  }
  const values = new Map<number, string>();
  for (const match of stdout.matchAll(/^\[(\d+)\]:\s+(\S+)/gm)) values.set(Number(match[1]), match[2]!);
  return values;
}

describe('simulators read by mbpoll', () => {
  const nowMs = 1_700_000_000_000;
  const row = loadDataset('uci-household').rows[ROW]!.values;
  let sdm630: RunningSimulator;
  let meter: RunningSimulator;
  const portOf = (simulator: RunningSimulator) => Number(simulator.endpoint.split(':')[1]);

  beforeAll(async () => {
    sdm630 = await startSimulator('sdm630', { port: 0, now: () => nowMs, startOffsetMs: ROW * MINUTE_MS });
    meter = await startSimulator('sunspec-meter', { port: 0, now: () => nowMs, startOffsetMs: ROW * MINUTE_MS });
  });

  afterAll(async () => {
    await sdm630.stop();
    await meter.stop();
  });

  it('SDM630 floats at 1-based register numbers', async () => {
    // Register 30001 of the Eastron manual is mbpoll reference 1 of table 3; the floats are big-endian.
    const values = await mbpoll(portOf(sdm630), ['-a', '1', '-t', '3:float', '-B', '-r', '1', '-c', '4']);
    expect(Number(values.get(1))).toBeCloseTo(row.Voltage!, 2);
    expect(Number(values.get(3))).toBeCloseTo(0, 6);
    const power = await mbpoll(portOf(sdm630), ['-a', '1', '-t', '3:float', '-B', '-r', '53', '-c', '1']);
    expect(Number(power.get(53))).toBeCloseTo(row.Global_active_power! * 1000, 1);
  });

  it('SDM630 floats read word-swapped without -B', async () => {
    const values = await mbpoll(portOf(sdm630), ['-a', '1', '-t', '3:float', '-r', '1', '-c', '1']);
    expect(Number(values.get(1))).not.toBeCloseTo(row.Voltage!, 2);
  });

  it('SunSpec marker and model 203 at PDU addresses', async () => {
    const marker = await mbpoll(portOf(meter), ['-a', '1', '-0', '-t', '4:hex', '-r', '40000', '-c', '2']);
    expect(marker.get(40000)).toBe('0x5375');
    expect(marker.get(40001)).toBe('0x6E53');
    // Model 203 starts at 40070: ID, L, then A, AphA... W at block offset 16, W_SF at offset 20.
    const block = await mbpoll(portOf(meter), ['-a', '1', '-0', '-t', '4', '-r', '40070', '-c', '24']);
    expect(block.get(40070)).toBe('203');
    const signed = (text: string | undefined) => {
      const raw = Number(text);
      return raw >= 0x8000 ? raw - 0x10000 : raw;
    };
    const powerW = signed(block.get(40072 + 16)) * 10 ** signed(block.get(40072 + 20));
    expect(powerW).toBeCloseTo(row.Global_active_power! * 1000, 0);
  });

  it('no answer from other unit ids', async () => {
    await expect(mbpoll(portOf(meter), ['-a', '7', '-0', '-t', '4', '-r', '40000', '-c', '2'])).rejects.toThrow(/Connection timed out/);
  });
});
