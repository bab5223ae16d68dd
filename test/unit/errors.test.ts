import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/output.js';
import { ShapeError } from '../../src/collectors/aws/documents.js';
import { ConfigError } from '../../src/config/file.js';
import { ReachgraphError } from '../../src/errors.js';
import { GraphError } from '../../src/graph/errors.js';
import { LoadError } from '../../src/graph/loader.js';
import { main } from '../../src/main.js';
import { PolicyParseError } from '../../src/model/aws/policy-parser.js';
import { InventoryError } from '../../src/model/validate.js';
import { ReachabilityError } from '../../src/reachability/compute.js';
import { DeliveryError } from '../../src/reports/alerts/retry.js';

const dir = mkdtempSync(join(tmpdir(), 'reachgraph-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false };
  const code = await main(['node', 'reachgraph', ...argv], output);
  return { code, out, err };
}

describe('user-facing errors', () => {
  it('share one base class and are named after their class', () => {
    const errors = [
      new ConfigError('x', '/f'),
      new LoadError('x', 'run-1', 'failed'),
      new GraphError('x', undefined, false),
      new InventoryError('f.json', ['x']),
      new ReachabilityError('x'),
      new ShapeError('x'),
      new PolicyParseError('policy', 'x'),
      new DeliveryError('x', false),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ReachgraphError);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it('are printed by the CLI as "reachgraph: <message>", naming the file and the key', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ neo4j: 5 }));
    const bad = await run(['--config', config, 'runs']);
    expect(bad.code).toBe(1);
    expect(bad.out).toEqual([]);
    expect(bad.err).toEqual([
      `reachgraph: config file ${config} is invalid:\n  neo4j: Invalid input: expected record, received number, got 5`,
    ]);

    const schedule = join(dir, 'schedule.yaml');
    writeFileSync(schedule, 'jobs:\n  - name: x\n    cron: "61 * * * *"\n');
    const jobs = await run(['schedule', '--config', schedule, '--once']);
    expect(jobs.code).toBe(1);
    expect(jobs.err).toHaveLength(1);
    expect(jobs.err[0]).toMatch(
      new RegExp(`^reachgraph: schedule config ${schedule} is invalid:\n  jobs\\[0\\]\\.cron: `),
    );
  });
});
