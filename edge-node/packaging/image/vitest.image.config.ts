import { defineConfig } from 'vitest/config';

// The image test boots a whole Debian system under software emulation: it runs alone, on its own
// command (pnpm --filter @simtestlab/edge-node test:image), never in the normal test run.
export default defineConfig({
  test: {
    include: ['packaging/image/**/*.image-test.ts'],
    // beforeAll may build the image first (debootstrap): allow it 20 minutes.
    hookTimeout: 20 * 60_000,
    testTimeout: 10 * 60_000,
    fileParallelism: false,
  },
});
