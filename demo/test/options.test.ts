import { describe, expect, it } from 'vitest';
import { parseDemoOptions, resetCommand } from '../src/options';

function resetFor(args: string[]): string {
  const options = parseDemoOptions(args, {});
  if (options === null) throw new Error('parseDemoOptions returned null for a run');
  return resetCommand(options);
}

describe('demo reset command', () => {
  it('is plain for the defaults', () => {
    expect(resetFor([])).toBe('pnpm demo --reset');
  });

  it('repeats the options of the run', () => {
    const args = ['--hub-port', '18790', '--edge-ports', '18781,18782', '--database', 'demo_x', '--redis-prefix', 'x y:', '--data', '/tmp/demo x', '--api-only'];
    expect(resetFor(args)).toBe("pnpm demo --reset --hub-port 18790 --edge-ports 18781,18782 --database demo_x --redis-prefix 'x y:' --data '/tmp/demo x' --api-only");
  });
});
