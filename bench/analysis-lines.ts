// The analysis's whole output as one line per record with a digest of its content, sorted: the
// lines test/unit/aws-scenarios/analysis-digest.test.ts pins and bench/analysis-memory.ts writes,
// so that two codes' outputs compare line by line.
import { createHash } from 'node:crypto';
import type { AwsAnalysis } from '../src/analyzers/aws-iam/analyze.js';

/** Object keys sorted at every depth, arrays kept in their order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}

const digest = (value: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex')
    .slice(0, 16);

/** One line per record, sorted: what it is, then the digest of all of it. */
export function analysisLines(analysis: AwsAnalysis): string {
  const out = [
    ...analysis.edges.map((e) => `${e.type} ${e.from} -> ${e.to} ${digest(e)}`),
    ...analysis.nodes.map((n) => `node ${n.id} ${digest(n)}`),
    ...analysis.findings.map((f) => `finding ${digest(f)}`),
    ...analysis.issues.map((i) => `issue ${i.source} ${digest(i)}`),
  ];
  const counts = `edges ${analysis.edges.length}, nodes ${analysis.nodes.length}, findings ${analysis.findings.length}, issues ${analysis.issues.length}`;
  return `${[counts, ...out.sort()].join('\n')}\n`;
}
