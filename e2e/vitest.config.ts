import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    // One server and one browser per file; files run one after another to spare the 2 cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A loaded CI machine can take seconds to push and re-render; 1 s (the default) flaked.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
