import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/setup/sequencer.js';

// Test files run side by side, unit and integration alike, in as many workers as there are cores
// (at least two, at most four: the integration tests mostly wait on Neo4j, moto, Chromium and child
// processes, so a second worker fills a core the first leaves idle). Each worker has a Neo4j of its own
// (Community has a single user database), started once by the global setup; files start from an empty
// graph. A server named by NEO4J_URI is one database, so then the integration files run one at a time,
// after the unit files. Longest files are handed out first, whichever project they belong to.
const workers = Math.min(4, Math.max(2, availableParallelism()));
const sharedServer = Boolean(process.env.NEO4J_URI);

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          maxWorkers: workers,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/setup/neo4j-global.ts'],
          maxWorkers: sharedServer ? 1 : workers,
          sequence: { groupOrder: sharedServer ? 1 : 0 },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
