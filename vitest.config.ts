import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests run in parallel; integration and e2e tests share one real Neo4j
// (started once by the global setup, or reused through NEO4J_URI) and run one file at a time,
// because Neo4j Community has a single user database.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/setup/neo4j-global.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
