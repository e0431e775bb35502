import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    // Generous: the suite also runs on shared, busy machines, and a timeout there says nothing about Tollbooth.
    pool: 'forks',
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // Each file gets its own MySQL database, so files run in parallel safely.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
