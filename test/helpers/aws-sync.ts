import type { GraphExecutor } from '../../src/graph/executor.js';
import {
  analyzeProviders,
  outcomeOf,
  providerJob,
  type SyncOptions,
  syncProviders,
} from '../../src/pipeline/sync.js';
import { awsProvider } from '../../src/providers/aws/index.js';
import type { AwsSource } from '../../src/providers/aws/source.js';

/** The pipeline run with AWS alone, with AWS's own summary and analysis at hand. */
export async function syncAws(executor: GraphExecutor, source: AwsSource, options: SyncOptions = {}) {
  const result = await syncProviders(executor, [providerJob(awsProvider, { source })], options);
  return { ...result, ...awsPart(result.outcomes) };
}

/** Collect, analyze and validate AWS alone, without Neo4j. */
export async function analyzeAws(source: AwsSource) {
  const run = await analyzeProviders([providerJob(awsProvider, { source })]);
  return { ...run, ...awsPart(run.outcomes) };
}

function awsPart(outcomes: Parameters<typeof outcomeOf>[0]) {
  const aws = outcomeOf(outcomes, awsProvider);
  if (!aws) throw new Error('the run has no AWS outcome');
  return { summary: aws.summary, analysis: aws.analysis };
}

export type AwsSyncResult = Awaited<ReturnType<typeof syncAws>>;
