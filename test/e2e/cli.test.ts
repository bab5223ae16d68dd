import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { listRuns } from '../../src/records/collection-runs.js';
import { A, arn, bigEstate, estate } from '../fixtures/inventories.js';
import { BIN, neo4jEnv, runCli } from '../helpers/cli.js';
import { snapshot, testExecutor, testNeo4j, wipe } from '../helpers/graph.js';

const work = mkdtempSync(join(tmpdir(), 'reachgraph-cli-'));
const executor = testExecutor();
const neo4j = testNeo4j();

const cliEnv = (extra: Record<string, string> = {}) => neo4jEnv(neo4j, extra);

const cli = (args: string[], env = cliEnv()) => runCli(args, env, work, 120_000);

function file(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

beforeEach(() => wipe(executor));
afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reachgraph CLI', () => {
  it('loads an inventory and prints the run as JSON; runs lists it', async () => {
    const load = await cli(['load', file('estate.json', estate(1)), '--json']);
    expect(load.stderr).toBe('');
    expect(load.code).toBe(0);
    const result = JSON.parse(load.stdout);
    expect(result).toMatchObject({
      status: 'succeeded',
      counts: { AwsRole: 5, CAN_ASSUME: 4, CAN_ACCESS: 1 },
    });

    const runs = await cli(['runs', '--json']);
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)[0]).toMatchObject({ id: result.runId, status: 'succeeded' });
    const table = await cli(['runs']);
    expect(table.stdout).toMatch(new RegExp(`${result.runId}\\s+succeeded`));
  });

  it.each([
    [
      'invalid JSON',
      '{"format": "reachgraph-inventory", ',
      /bad\.json: invalid inventory \(1 problem; nothing was loaded\)\n {2}not valid JSON/,
    ],
    [
      'an unknown kind',
      { ...estate(1), nodes: [{ id: 'x', kind: 'AwsRocket', properties: { name: 'x' } }] },
      /nodes\[0\] \(id "x"\) kind: unknown node kind "AwsRocket"/,
    ],
    [
      'a missing id',
      { ...estate(1), nodes: [{ kind: 'AwsRole', properties: { name: 'x', nonHuman: false } }] },
      /nodes\[0\] \(id "undefined"\) id: /,
    ],
    [
      'duplicate ids with different kinds',
      (() => {
        const input = estate(1);
        input.nodes?.push({ ...(input.nodes[0] as object), kind: 'AwsUser' } as never);
        return input;
      })(),
      /nodes\[7\] \(id "arn:aws:iam::111111111111:role\/ci"\): duplicate id with a different kind: AwsUser here, AwsRole at nodes\[0\]/,
    ],
  ])('rejects %s with an error naming the record, and loads nothing', async (_, content, message) => {
    const result = await cli(['load', file('bad.json', content)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^reachgraph: /);
    expect(result.stderr).toMatch(message);
    expect((await snapshot(executor)).nodes).toEqual([]);
    expect(await listRuns(executor)).toEqual([]);
  });

  it('names the file when it cannot be read', async () => {
    const result = await cli(['load', 'missing.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^reachgraph: missing\.json: cannot be read: ENOENT/);
  });

  it('names the key, its origin and what was expected for a bad config value', async () => {
    const result = await cli(['runs'], cliEnv({ REACHGRAPH_BATCH_SIZE: 'lots' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /load\.batchSize \(from environment variable REACHGRAPH_BATCH_SIZE\): .*expected number.*got "lots"/,
    );
    const config = file('config.json', { neo4j: { database: '' }, log: { colour: 'red' } });
    const fromFile = await cli(['--config', config, 'runs'], cliEnv({ NEO4J_DATABASE: '' }));
    expect(fromFile.stderr).toMatch(/neo4j\.database \(from config file .*config\.json\)/);
    expect(fromFile.stderr).toMatch(/log \(from config file .*config\.json\): Unrecognized key: "colour"/);
  });

  it('reports an unreachable server in one line naming it', async () => {
    const result = await cli(
      ['runs'],
      cliEnv({ NEO4J_URI: 'bolt://127.0.0.1:9', REACHGRAPH_CONNECT_TIMEOUT_MS: '1000' }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Neo4j at bolt:\/\/127\.0\.0\.1:9 \(database "neo4j"\) is unreachable/);
  });

  it('db status shows the configured server with its counts', async () => {
    await cli(['load', file('estate.json', estate(1))]);
    const status = await cli(['db', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      running: true,
      origin: 'configured',
      uri: neo4j.uri,
      version: expect.stringMatching(/^5\.26\./),
      nodes: expect.any(Number),
      relationships: expect.any(Number),
    });
  });

  it('a load killed half-way leaves the published graph and is marked interrupted by the next load', async () => {
    await cli(['load', file('v1.json', estate(1))]);
    const published = await snapshot(executor);

    const big = file('big.json', bigEstate(40_000));
    const child: ChildProcess = spawn(process.execPath, [BIN, 'load', big, '--batch-size', '500'], {
      env: cliEnv(),
      cwd: work,
    });
    // Kill it once it has written some batches, but before it finishes.
    await waitFor(async () => {
      const [row] = await executor.read<{ n: number }>(
        "MATCH (n:AwsRole) WHERE n.name STARTS WITH 'bulk-' RETURN count(n) AS n",
      );
      return (row?.n ?? 0) > 1000;
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const [running] = await listRuns(executor, 1);
    expect(running?.status).toBe('running');
    const afterKill = await snapshot(executor);
    for (const node of published.nodes) expect(afterKill.nodes).toContain(node);
    expect(afterKill.nodes).toContain(`AwsRole ${arn(A, 'role/legacy')}`);

    const rerun = await cli(['load', file('v2.json', estate(2)), '--json']);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout).interruptedRuns).toEqual([running?.id]);
    const runs = await listRuns(executor, 2);
    expect(runs[1]).toMatchObject({ id: running?.id, status: 'interrupted' });
  });

  it('query lists the named queries and runs one', async () => {
    const list = await cli(['query', '--json']);
    expect(JSON.parse(list.stdout).map((q: { name: string }) => q.name)).toContain('nhi-to-production');
    await cli(['load', file('estate.json', estate(1))]);
    const rows = await cli(['query', 'nhi-to-production', '--json']);
    expect(rows.code).toBe(0);
    expect(JSON.parse(rows.stdout).map((r: { identity: string }) => r.identity)).toEqual(
      expect.arrayContaining([arn(A, 'role/ci'), arn(A, 'role/deployer')]),
    );
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
