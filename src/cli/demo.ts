import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { refreshActivitySummary } from '../activity/graph-summary.js';
import type { AccessPathAnswer, PathHop, PathQueries } from '../answers/answer-types.js';
import { GraphPathQueries } from '../answers/questions.js';
import { type RunningApi, startApiServer } from '../api/server.js';
import { openGraph } from '../graph/connection.js';
import type { GraphExecutor } from '../graph/executor.js';
import { ensureSchema } from '../graph/schema.js';
import { PARTITION } from '../model/aws/partitions.js';
import { type Creators, readCreators } from '../owners/creators.js';
import { readOwnerSources } from '../owners/sources.js';
import { packageRoot } from '../package-root.js';
import { providerJobs, syncProviders } from '../pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../providers/registry.js';
import { buildReport } from '../reports/build.js';
import { writeReportFiles } from '../reports/output.js';
import type { Finding } from '../reports/types.js';
import type { CliContext } from './context.js';
import { type PreparedActivity, prepareDemoActivity, showDemoActivity } from './demo-activity.js';
import { formatAccessPaths, formatEscalations } from './format-paths.js';
import type { Output } from './output.js';
import { loadProgress } from './progress.js';
import { reportFileName, summaryLines } from './report.js';

/** The bundled snapshot (docs/snapshots.md layout) the demo loads: five AWS accounts, an EKS cluster and a GCP organization. */
export const SAMPLE_ENV = 'examples/sample-env';

/** The demo's question, as `query reach` filters. */
export const DEMO_FROM = 'nonHuman=true';
export const DEMO_TO = 'environment=production';

/**
 * The sample estate's routes across providers, printed with every hop's evidence after the main
 * answer: a workload of the EKS cluster `prod-payments` reaching production data in AWS (a
 * `query reach` question, unconditional routes only), the CI role's escalation to cluster-admin (a
 * `query escalations` question), and a GitHub Actions workflow reaching a production bucket in GCP
 * through workload identity federation and service account impersonation (`query reach`).
 */
export const DEMO_CROSS_PROVIDER = {
  reach: {
    title: 'A workload reaches production data in AWS through IRSA (pod → its service account → AWS role):',
    from: 'type=K8sPod,namespace=payments',
    to: 'type=AwsS3Bucket,environment=production',
  },
  escalation: {
    title: 'A CI role becomes cluster-admin of prod-payments through aws-auth:',
    principal: 'arn:aws:iam::111111111111:role/ci/gha-deploy',
    cluster: 'prod-payments',
    kind: 'K8sCluster',
  },
  gcp: {
    title:
      'A GitHub Actions workflow reaches a production bucket in GCP (workload identity federation → deploy service account → token creator on the exporter → bucket):',
    from: 'type=GcpPrincipalSet',
    to: 'type=GcpStorageBucket,environment=production',
  },
} as const;

/** The heading of the cross-provider routes in the demo's output. */
export const DEMO_ACROSS_HEADING = 'Across AWS, Kubernetes and GCP:';

/** The same question over the API, printed for pasting into GraphiQL. */
export const DEMO_GRAPHQL_QUERY =
  '{ paths(from: {nonHuman: true}, to: {environment: PRODUCTION}, maxHops: 6, first: 10) { edges { node { from { name } to { name } levels length hops { from { id } edge { type reason conditional } to { id } } } } } }';

/** The sample estate's owners file (docs/owners.md), with its CODEOWNERS files beside it. */
export const SAMPLE_OWNERS = 'owners.yaml';

/** Lines of the answer table before "… and N more". */
export const DEMO_TABLE_LINES = 40;

/** Where the demo writes its HTML report, relative to the working directory (`--report-dir`). */
export const DEMO_REPORT_DIR = 'reports';

const DEFAULT_PORT = 4000;

export function registerDemo(program: Command, context: () => CliContext): void {
  program
    .command('demo')
    .description(
      'Sync the bundled sample estate (AWS accounts, an EKS cluster and a GCP organization) into a throw-away local Neo4j, answer "which non-human identities can reach production data", show the routes across the providers, write the HTML risk report, then serve the API in demo mode',
    )
    .option('--no-serve', 'answer and exit instead of serving the API')
    .option(
      '--port <port>',
      `API port (0: any free port; a busy port falls back to a free one)`,
      `${DEFAULT_PORT}`,
    )
    .option('--report-dir <dir>', 'where to write the HTML risk report of the sample estate', DEMO_REPORT_DIR)
    .action(async (options: { serve: boolean; port: string; reportDir: string }) => {
      const ctx = context();
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new Error(`--port: expected 0-65535, got "${options.port}"`);
      await runDemo(ctx, { serve: options.serve, port, reportDir: resolve(options.reportDir) });
    });
}

async function runDemo(
  ctx: CliContext,
  options: { serve: boolean; port: number; reportDir: string },
): Promise<void> {
  const { config, output, logger } = ctx;
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  // Ctrl-C / SIGTERM at any point ends the demo cleanly: loading is aborted, serving stops.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A fresh store of its own, so the demo never touches the user's graph (unless NEO4J_URI says where to go).
  const dataDir = config.neo4j.uri ? undefined : mkdtempSync(join(tmpdir(), 'reachgraph-demo-'));
  // The sample estate's generated logs, made and ingested while Neo4j starts (a directory of the demo's own).
  const activityDir = mkdtempSync(join(tmpdir(), 'reachgraph-demo-activity-'));
  const activity: Promise<PreparedActivity | Error> = prepareDemoActivity(
    activityDir,
    join(packageRoot(), SAMPLE_ENV),
  ).catch((error: Error) => error);
  try {
    output.err(
      config.neo4j.uri ? `Using Neo4j at ${config.neo4j.uri} (NEO4J_URI).` : 'Starting a local Neo4j…',
    );
    const graph = await openGraph(config, {
      onProgress: (m) => output.err(m),
      ...(dataDir ? { dataDir } : {}),
    });
    try {
      output.err(`Neo4j ${graph.server.version} ready at ${graph.executor.target.uri} (${seconds()} s).`);
      // The generated logs name who created some identities: owners from the creator (docs/owners.md).
      // The new store's constraints and indexes are made while they are still being prepared.
      const [ready] = await Promise.all([activity, ensureSchema(graph.executor)]);
      const creators = ready instanceof Error ? undefined : await readCreators(ready.database);
      await syncSample(ctx, graph.executor, stop.signal, creators);
      output.err(`Loaded and summarized in ${seconds()} s.`);
      const queries = new GraphPathQueries(graph.executor);
      const answers = await queries.reach({ from: DEMO_FROM, to: DEMO_TO });
      output.out('Which non-human identities can reach production data, and how?\n');
      output.out(formatDemoAnswers(answers, DEMO_TABLE_LINES));
      output.out(`\n${DEMO_ACROSS_HEADING}\n\n${await crossProviderRoutes(queries)}`);
      output.err(`Answered in ${seconds()} s.`);
      const reportPath = await writeDemoReport(graph.executor, output, options.reportDir);
      output.out(`\nThe risk report of the sample estate (one HTML file, works offline): ${reportPath}`);
      output.err(`Reported in ${seconds()} s.`);
      const prepared = await activity;
      if (prepared instanceof Error) output.err(`activity not shown: ${prepared.message}`);
      else {
        await showDemoActivity(graph.executor, output, prepared, { writeSummary: !config.neo4j.uri });
        output.err(`Activity shown in ${seconds()} s.`);
      }
      if (!options.serve || stop.signal.aborted) return;
      const api = await listen(graph.executor, ctx, options.port);
      output.out(`\nreachgraph API (demo mode: no token needed) listening on ${api.url}`);
      output.out(`Explorer: ${api.explorerUrl} (search an identity, see what it reaches and through what)`);
      output.out('Open the API URL in a browser for GraphiQL, or POST this query:\n');
      output.out(DEMO_GRAPHQL_QUERY);
      output.err('\nCtrl-C stops the API and Neo4j and removes the temporary store.');
      await new Promise<void>((resolve) => {
        if (stop.signal.aborted) resolve();
        stop.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      output.err('Stopping…');
      await api.close();
      logger.debug({ seconds: seconds() }, 'demo stopped');
    } finally {
      await graph.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await activity;
    rmSync(activityDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function syncSample(
  ctx: CliContext,
  executor: GraphExecutor,
  signal: AbortSignal,
  creators?: Creators,
): Promise<void> {
  const { output } = ctx;
  const snapshotRoot = join(packageRoot(), SAMPLE_ENV);
  const jobs = providerJobs(PROVIDER_REGISTRY, [], { snapshotRoot, options: {} }, ctx.config);
  const { warnings, ...owners } = readOwnerSources(ctx.config.owners, {
    owners: join(snapshotRoot, SAMPLE_OWNERS),
  });
  for (const warning of warnings) output.err(`warning: ${warning}`);
  if (creators && creators.size > 0) Object.assign(owners, { creators });
  const progress = loadProgress(output, true);
  try {
    const result = await syncProviders(executor, jobs, {
      summary: true,
      owners,
      signal,
      onStep: (step) => output.err(`${step}…`),
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    const { outcomes, load } = result;
    const edges: Record<string, number> = {};
    for (const { summary } of outcomes)
      for (const [type, n] of Object.entries(summary.edges)) edges[type] = (edges[type] ?? 0) + n;
    const scopes = outcomes
      .map((o) => {
        const n = o.inventory.scopes.length;
        return `${n} ${n === 1 ? o.provider.scopeNoun.one : o.provider.scopeNoun.many}`;
      })
      .join(', ');
    const principals = outcomes.reduce((n, o) => n + o.summary.principals, 0);
    const derived = Object.entries(edges)
      .map(([type, n]) => `${n} ${type}`)
      .join(', ');
    const rows = load.reachability ? `; ${load.reachability.rows} reachability rows` : '';
    output.err(`Synced ${SAMPLE_ENV}: ${scopes}, ${principals} principals, ${derived}${rows}`);
    output.err(
      `Owners (${SAMPLE_ENV}/${SAMPLE_OWNERS}): ${result.owners.owned} of ${result.owners.identities} non-human identities owned, ${result.owners.unowned} unowned (reported as nhi-without-owner findings)`,
    );
    // Into the user's graph (NEO4J_URI), the load replaced node properties whole: write the activity
    // summary again, as `reachgraph sync` does (docs/activity.md). A fresh temporary store has none to
    // restore, and the demo leaves the user's activity store alone then.
    if (ctx.config.neo4j.uri && load.status === 'succeeded')
      await refreshActivitySummary(executor, ctx.config, {
        warn: (reason) => output.err(`activity summary not written: ${reason}`),
      });
  } finally {
    progress.stop();
  }
}

/** The routes of DEMO_CROSS_PROVIDER, each hop with its evidence, as `query reach` and `query escalations` print them. */
async function crossProviderRoutes(queries: PathQueries): Promise<string> {
  const { reach, escalation, gcp } = DEMO_CROSS_PROVIDER;
  const paths = await queries.reach({ from: reach.from, to: reach.to, certain: true });
  const escalations = (
    await queries.escalations({ cluster: escalation.cluster, kind: escalation.kind })
  ).filter((a) => a.principal === escalation.principal && !a.conditional);
  const federated = await queries.reach({ from: gcp.from, to: gcp.to, certain: true });
  return [
    `${reach.title}\n${formatAccessPaths(paths, 'No path found.')}`,
    `${escalation.title}\n${formatEscalations(escalations)}`,
    `${gcp.title}\n${formatAccessPaths(federated, 'No path found.')}`,
  ].join('\n\n');
}

/** Runs the findings rules on the sample estate and writes the HTML report; returns its path. */
async function writeDemoReport(executor: GraphExecutor, output: Output, dir: string): Promise<string> {
  const report = await buildReport(executor, {});
  const [path] = await writeReportFiles(report, [
    { format: 'html', path: join(dir, reportFileName('html')) },
  ]);
  for (const line of summaryLines(report, true)) output.err(line);
  output.out(`\n${ownerLines(report.findings).join('\n')}`);
  return path as string;
}

/** The owner rules' findings of the demo's report (docs/owners.md): who has no owner, or a gone one. */
export const DEMO_OWNER_RULES = [
  'nhi-without-owner',
  'unowned-nhi-reaches-production-or-escalates',
  'nhi-owner-gone',
] as const;

function ownerLines(findings: readonly Finding[]): string[] {
  const lines = ['Who owns them? Every non-human identity has an owner or is a finding:'];
  for (const rule of DEMO_OWNER_RULES) {
    const of = findings.filter((f) => f.ruleId === rule);
    lines.push(`  ${rule} (${of.length}): ${of.map((f) => f.subject.name).join(', ') || 'none'}`);
  }
  return lines;
}

/** The API in demo mode on loopback; a busy port falls back to any free one. */
async function listen(executor: GraphExecutor, ctx: CliContext, port: number): Promise<RunningApi> {
  const options = { executor, config: ctx.config.api, host: '127.0.0.1', demo: true, logger: ctx.logger };
  try {
    return await startApiServer({ ...options, port });
  } catch (error) {
    if (port === 0 || !(error instanceof Error) || !error.message.includes('EADDRINUSE')) throw error;
    ctx.output.err(`Port ${port} is busy; using a free one.`);
    return startApiServer({ ...options, port: 0 });
  }
}

/**
 * The answer as a compact table: one header line per identity, then one line per resource it
 * reaches: the access levels and each hop with the policy statement (or technique) behind it. At
 * most `maxLines` lines, then "… and N more".
 */
export function formatDemoAnswers(answers: AccessPathAnswer[], maxLines: number): string {
  if (answers.length === 0) return 'No non-human identity can reach production data.';
  const byIdentity = new Map<string, AccessPathAnswer[]>();
  for (const a of answers) byIdentity.set(a.principal, [...(byIdentity.get(a.principal) ?? []), a]);
  const lines: string[] = [];
  let shown = 0;
  for (const [identity, paths] of byIdentity) {
    if (lines.length + 2 > maxLines) break;
    lines.push(displayId(identity, true));
    for (const a of paths) {
      if (lines.length >= maxLines) break;
      const conditional = a.conditional ? ' (conditional)' : '';
      lines.push(`  ${displayId(a.resource, false)} [${a.levels.join(',')}]${conditional} ${route(a.path)}`);
      shown += 1;
    }
  }
  const rest = answers.length - shown;
  if (rest > 0)
    lines.push(
      `… and ${rest} more (reachgraph query reach --from ${DEMO_FROM} --to ${DEMO_TO} lists them all)`,
    );
  const identities = byIdentity.size;
  lines.push(
    `${answers.length} path(s) from ${identities} non-human identit${identities === 1 ? 'y' : 'ies'}.`,
  );
  return lines.join('\n');
}

/** `via X [CAN_ASSUME: policy Sid] → Y [CAN_ESCALATE lambda-001] → [CAN_ACCESS: policy Sid]`. */
function route(path: PathHop[]): string {
  const steps = path.map((hop, i) => {
    const why = hop.technique ?? briefReason(hop.reason);
    const label = `[${hop.type}${why ? `: ${why}` : ''}${hop.conditional ? ', conditional' : ''}]`;
    return i === path.length - 1 ? label : `${label} → ${displayId(hop.to, false)}`;
  });
  return `via ${steps.join(' → ')}`;
}

/** "assume-prod-deployer (statement AssumeProdDeployer) allows …" → "assume-prod-deployer AssumeProdDeployer". */
function briefReason(reason: string): string {
  const cut = reason.indexOf(' allows ');
  const head = (cut > 0 ? reason.slice(0, cut) : reason).replace(/ \(\+\d+ more\)$/, '');
  const brief = head.replace(/ \(statement ([^)]+)\)/, ' $1');
  return brief.length > 60 ? `${brief.slice(0, 59)}…` : brief;
}

const ANY_ARN = new RegExp(`^arn:${PARTITION}:([^:]*):[^:]*:(\\d{12})?:(.+)$`);

/**
 * An ARN shortened to its resource part (`role/ci/gha-deploy`, `table/payments`); identities keep
 * their account (`111111111111 role/ci/gha-deploy`). Other ids stay as they are.
 */
function displayId(id: string, withAccount: boolean): string {
  const arn = id.match(ANY_ARN);
  if (!arn) return id;
  const [, service, account, resource] = arn as unknown as [string, string, string | undefined, string];
  const name = service === 's3' ? resource : resource.replace(/^secret:/, 'secret/');
  return withAccount && account ? `${account} ${name}` : name;
}
