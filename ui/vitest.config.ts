import { defineConfig } from 'vitest/config';

/*
 * Two projects: unit tests, and end-to-end tests that start real processes (simulators, an edge node,
 * a hub on Postgres and Redis) and Chromium. The end-to-end files run after the unit tests, one at a
 * time, because each starts a whole stack and the CI machine has two cores. Their global setup builds
 * ui/dist first.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}', 'src/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/e2e/harness/build-ui.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          // Starting or stopping a stack on a loaded machine takes minutes in the worst case.
          hookTimeout: 600_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
