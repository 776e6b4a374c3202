import { describe, expect, it } from 'vitest';
import { waitForRunningNode } from '../../../../src/pages/setup/wait-for-node';

/** Creates a fake clock whose sleep moves the time forward at once. */
function fakeClock() {
  let time = 0;
  return { now: () => time, sleep: async (ms: number) => void (time += ms) };
}

describe('waitForRunningNode', () => {
  it('returns true once the node runs, after failed checks', async () => {
    const answers = [Promise.reject(new TypeError('Failed to fetch')), Promise.resolve(false), Promise.resolve(true)];
    let checks = 0;
    const running = await waitForRunningNode(() => answers[checks++]!, { ...fakeClock(), intervalMs: 1_000, timeoutMs: 10_000 });
    expect(running).toBe(true);
    expect(checks).toBe(3);
  });

  it('returns false after the timeout', async () => {
    let checks = 0;
    const running = await waitForRunningNode(
      async () => {
        checks++;
        return false;
      },
      { ...fakeClock(), intervalMs: 1_000, timeoutMs: 5_000 },
    );
    expect(running).toBe(false);
    expect(checks).toBe(6);
  });
});
