import type { Command } from 'commander';
import { localCacheDir, localDataDir, openGraph } from '../graph/connection.js';
import { cypherFile } from '../graph/cypher-files.js';
import { NEO4J_VERSION, readServerState, startLocalNeo4j, stopServer } from '../local-neo4j/index.js';
import type { CliContext } from './context.js';
import { json } from './output.js';

export function registerDb(program: Command, context: () => CliContext): void {
  const db = program
    .command('db')
    .description('Manage the local Neo4j server (or inspect the one NEO4J_URI names)');

  db.command('start')
    .description('Start the local Neo4j in the background; data stays in the data directory between commands')
    .action(async () => {
      const { config, output } = context();
      if (config.neo4j.uri) {
        output.out(`NEO4J_URI is set (${config.neo4j.uri}): reachgraph uses that server and starts nothing.`);
        return;
      }
      const dataDir = localDataDir(config);
      const running = await readServerState(dataDir);
      if (running) {
        output.out(`Neo4j is already running at ${running.uri} (pid ${running.pid}, data ${dataDir}).`);
        return;
      }
      const server = await startLocalNeo4j({
        dataDir,
        cacheDir: localCacheDir(config),
        heapMb: config.local.heapMb,
        pageCacheMb: config.local.pageCacheMb,
        readyTimeoutMs: config.local.readyTimeoutMs,
        detached: true,
        onProgress: (message) => output.err(message),
      });
      output.out(
        [
          `Neo4j ${server.version} is running at ${server.uri} (pid ${server.pid}).`,
          `  data: ${dataDir}`,
          `  log:  ${server.logFile}`,
          'Any Bolt client can connect to it without authentication, from this machine only.',
          'Stop it with `reachgraph db stop`.',
        ].join('\n'),
      );
    });

  db.command('stop')
    .description('Stop the local Neo4j started by `db start`')
    .action(async () => {
      const { config, output } = context();
      const dataDir = localDataDir(config);
      const running = await readServerState(dataDir);
      if (!running) {
        output.out(`No local Neo4j is running for ${dataDir}.`);
        return;
      }
      await stopServer(running, 30_000);
      output.out(`Stopped Neo4j (pid ${running.pid}); data kept in ${dataDir}.`);
    });

  db.command('status')
    .description(
      'Show the server reachgraph uses: URI, version, data directory, node and relationship counts',
    )
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { config, output } = context();
      const dataDir = config.neo4j.uri ? undefined : localDataDir(config);
      if (dataDir && !(await readServerState(dataDir))) {
        const status = { running: false, dataDir, version: NEO4J_VERSION };
        output.out(
          options.json
            ? json(status)
            : `Local Neo4j is not running (data ${dataDir}). Start it with \`reachgraph db start\`.`,
        );
        context().exitCode = 3;
        return;
      }
      const graph = await openGraph(config);
      try {
        const [counts] = await graph.executor.read<{ nodes: number; relationships: number }>(
          cypherFile('admin/graph-counts'),
        );
        const status = {
          running: true,
          origin: graph.origin,
          uri: graph.executor.target.uri,
          database: graph.executor.target.database,
          version: graph.server.version,
          edition: graph.server.edition,
          dataDir: dataDir ?? null,
          nodes: counts?.nodes ?? 0,
          relationships: counts?.relationships ?? 0,
        };
        output.out(
          options.json
            ? json(status)
            : [
                `URI:           ${status.uri} (${graph.origin === 'configured' ? 'from NEO4J_URI' : 'local server'})`,
                `Version:       Neo4j ${status.version} ${status.edition}`,
                `Database:      ${status.database}`,
                ...(dataDir ? [`Data:          ${dataDir}`] : []),
                `Nodes:         ${status.nodes}`,
                `Relationships: ${status.relationships}`,
              ].join('\n'),
        );
      } finally {
        await graph.close();
      }
    });
}
