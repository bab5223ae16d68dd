import type { Command } from 'commander';
import { checkTargets } from '../answers/answer-shape.js';
import type { PathQueries, TargetOptions } from '../answers/answer-types.js';
import { checkMaxHops, DEFAULT_MAX_HOPS, MAX_HOPS_LIMIT } from '../answers/bounds.js';
import { ESCALATION_TARGET_KINDS } from '../answers/escalation-targets.js';
import { GcpIamQueries } from '../answers/gcp-iam.js';
import { executorReader, type GraphReader } from '../answers/graph-reader.js';
import { KubernetesRbacQueries } from '../answers/kubernetes-rbac.js';
import { MemoryGraph } from '../answers/memory-graph.js';
import { namedQueries, runNamedQuery } from '../answers/named-queries.js';
import { GraphPathQueries, MemoryPathQueries } from '../answers/questions.js';
import { openGraph } from '../graph/connection.js';
import type { ValidInventory } from '../model/validate.js';
import { analyzeProviders, providerJobs } from '../pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../providers/registry.js';
import type { CliContext } from './context.js';
import { AS_OF_DESCRIPTION, AS_OF_FLAGS, asOfDate } from './flags.js';
import { formatGcpCanI, formatGcpWhoCan } from './format-gcp.js';
import {
  formatAccessPaths,
  formatAdmins,
  formatEscalations,
  formatRbacRights,
  formatRbacWhoCan,
} from './format-paths.js';
import { json, table } from './output.js';

export function registerQuery(program: Command, context: () => CliContext): void {
  const query = program
    .command('query')
    .description(
      'Path questions (escalations, admins, reach, who-can) or a named query from cypher/queries/ (without a name: list them)',
    )
    .argument('[name]', 'query name')
    .option('-p, --param <key=value...>', 'query parameter; the value is parsed as JSON when it can be')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, options: { param?: string[]; json?: boolean }) => {
      const { config, output } = context();
      if (!name) {
        const queries = namedQueries().map((q) => ({ name: q.name, description: q.description }));
        output.out(
          options.json
            ? json(queries)
            : table(
                ['NAME', 'DESCRIPTION'],
                queries.map((q) => [q.name, q.description]),
              ),
        );
        return;
      }
      const params = Object.fromEntries((options.param ?? []).map(parseParam));
      const graph = await openGraph(config, { onProgress: (m) => output.err(m) });
      try {
        const rows = await runNamedQuery(graph.executor, name, params);
        if (options.json || rows.length === 0) {
          output.out(options.json ? json(rows) : 'No rows.');
          return;
        }
        const headers = Object.keys(rows[0] ?? {});
        output.out(
          table(
            headers,
            rows.map((r) => headers.map((h) => cell(r[h]))),
          ),
        );
      } finally {
        await graph.close();
      }
    });
  registerPathQueries(query, context);
}

interface PathFlags {
  snapshot?: string;
  asOf?: string;
  maxHops?: string;
  json?: boolean;
}

/** Options every path question takes; `--json` is also the parent's, so it is read from both. */
function pathCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .option(
      '--snapshot <dir>',
      'answer in memory from a snapshot directory (aws/, kubernetes/, gcp/), without Neo4j',
    )
    .option(AS_OF_FLAGS, `with --snapshot: ${AS_OF_DESCRIPTION}`)
    .option('--max-hops <n>', `longest path in hops (default ${DEFAULT_MAX_HOPS}, at most ${MAX_HOPS_LIMIT})`)
    .option('--json', 'print JSON');
}

function registerPathQueries(query: Command, context: () => CliContext): void {
  targetOptions(
    pathCommand(
      query,
      'escalations',
      'Principals that can become administrator of an AWS account, cluster-admin of a Kubernetes cluster, root on a node or owner of a GCP organization, folder or project, by the shortest route',
    ),
  ).action(async (_: unknown, command: Command) => {
    const flags = command.optsWithGlobals<PathFlags & TargetOptions>();
    const hops = maxHops(flags); // checked before any collection
    checkTargets(flags);
    await answer(context, flags, async (q) => {
      const answers = await q.escalations({ ...targetsOf(flags), maxHops: hops });
      return flags.json ? json(answers) : formatEscalations(answers);
    });
  });
  targetOptions(
    pathCommand(
      query,
      'admins',
      'Administrators of each AWS account, Kubernetes cluster and GCP organization, folder and project (ADMINISTERS), with the evidence',
    ),
  ).action(async (_: unknown, command: Command) => {
    const flags = command.optsWithGlobals<PathFlags & TargetOptions>();
    checkTargets(flags);
    await answer(context, flags, async (q) => {
      const answers = await q.admins(targetsOf(flags));
      return flags.json ? json(answers) : formatAdmins(answers);
    });
  });
  pathCommand(query, 'reach', 'Paths from principals to resources: hops, then CAN_ACCESS')
    .requiredOption(
      '--from <selector>',
      'a principal id, or filters such as nonHuman=true,account=111111111111',
    )
    .requiredOption(
      '--to <selector>',
      'a resource id, or filters such as environment=production,type=AwsS3Bucket',
    )
    .option('--level <level>', 'only access at this level (list, read, write, permissions, tagging)')
    .option('--certain', 'only routes without an edge that holds under undecided conditions')
    .action(async (_: unknown, command: Command) => {
      const flags = command.optsWithGlobals<
        PathFlags & { from: string; to: string; level?: string; certain?: boolean }
      >();
      const hops = maxHops(flags); // checked before any collection
      await answer(context, flags, async (q) => {
        const answers = await q.reach({
          from: flags.from,
          to: flags.to,
          level: flags.level,
          maxHops: hops,
          certain: flags.certain === true,
        });
        return flags.json ? json(answers) : formatAccessPaths(answers, 'No path found.');
      });
    });
  pathCommand(
    query,
    'who-can',
    'Who can reach a resource (--resource ID); for Kubernetes, who may make a request (VERB RESOURCE[/SUBRESOURCE]); for GCP, who holds a permission on a resource (PERMISSION RESOURCE): the authorizer’s decision with its evidence',
  )
    .argument(
      '[verb]',
      'Kubernetes: the verb (get, list, create, impersonate, …); GCP: the permission (storage.objects.get)',
    )
    .argument(
      '[resource]',
      'Kubernetes: RESOURCE[.GROUP][/SUBRESOURCE] (pods, pods/exec, deployments.apps) or a non-resource URL (/metrics); GCP: a full resource name (//storage.googleapis.com/projects/_/buckets/B) or short form (gs://B, projects/ID, folders/N, organizations/N, a service account email)',
    )
    .option('--resource <id>', 'the resource id (an ARN, a node id): who reaches it, and by which route')
    .option('--level <level>', 'only access at this level (list, read, write, permissions, tagging)')
    .option('--certain', 'only routes without an edge that holds under undecided conditions')
    .option('-n, --namespace <ns>', "Kubernetes: the request's namespace (without it: across all namespaces)")
    .option('--name <name>', "Kubernetes: the object's name (resourceNames)")
    .option('--cluster <name>', 'Kubernetes: only this cluster')
    .action(async (verb: string | undefined, resource: string | undefined, _: unknown, command: Command) => {
      const flags = command.optsWithGlobals<
        PathFlags & { resource?: string; level?: string; certain?: boolean } & KubernetesFlags
      >();
      if (verb?.includes('.')) {
        if (flags.resource !== undefined || resource === undefined)
          throw new Error(
            'who-can: a GCP permission takes a RESOURCE argument (gs://B, projects/ID, …), not --resource',
          );
        if (flags.namespace !== undefined || flags.name !== undefined || flags.cluster !== undefined)
          throw new Error(
            'who-can: -n/--namespace, --name and --cluster are Kubernetes flags; a GCP permission takes none',
          );
        const asOf = asOfDate(flags.asOf);
        await answerGcp(context, flags, (q) => {
          const answers = q.whoCan({ permission: verb, resource, ...(asOf ? { asOf } : {}) });
          return flags.json ? json(answers) : formatGcpWhoCan(answers);
        });
        return;
      }
      if (verb !== undefined) {
        if (flags.resource !== undefined)
          throw new Error('who-can: give either VERB RESOURCE (Kubernetes) or --resource ID, not both');
        if (resource === undefined) throw new Error('who-can: VERB needs a RESOURCE (pods, pods/exec, …)');
        const ask = { verb, resource, namespace: flags.namespace, name: flags.name, cluster: flags.cluster };
        await answerRbac(context, flags, (q) => {
          const answers = q.whoCan(ask);
          return flags.json ? json(answers) : formatRbacWhoCan(answers);
        });
        return;
      }
      if (flags.resource === undefined)
        throw new Error('who-can: give --resource ID, or VERB RESOURCE for a Kubernetes request');
      const target = flags.resource;
      const hops = maxHops(flags); // checked before any collection
      await answer(context, flags, async (q) => {
        const answers = await q.whoCan({
          resource: target,
          level: flags.level,
          maxHops: hops,
          certain: flags.certain === true,
        });
        return flags.json ? json(answers) : formatAccessPaths(answers, `No principal can reach ${target}.`);
      });
    });
  query
    .command('can-i')
    .description(
      "Kubernetes: one requester's effective RBAC rights, where they hold, with the binding, role and rule; GCP ([PERMISSION] RESOURCE): the permissions one principal holds on a resource, or whether it holds one",
    )
    .argument(
      '[permission]',
      'GCP: the permission (storage.objects.get); or the RESOURCE, to list every permission held there',
    )
    .argument('[resource]', 'GCP: the resource (as for who-can)')
    .requiredOption(
      '--as <subject>',
      'Kubernetes: a user name, system:serviceaccount:NS:NAME or system:node:NAME; GCP: user:EMAIL, serviceAccount:EMAIL, group:EMAIL or an email',
    )
    .option(AS_OF_FLAGS, 'GCP: decide conditions (request.time) as of this time (default now)')
    .option('--as-group <group...>', "groups to add to the requester's own")
    .option('-n, --namespace <ns>', 'only this namespace (and the cluster-wide rules)')
    .option('--cluster <name>', 'only this cluster')
    .option(
      '--snapshot <dir>',
      'answer in memory from a snapshot directory (kubernetes/, gcp/, aws/), without Neo4j',
    )
    .option('--json', 'print JSON')
    .action(async (first: string | undefined, second: string | undefined, _: unknown, command: Command) => {
      const flags = command.optsWithGlobals<
        KubernetesFlags & { as: string; asGroup?: string[]; asOf?: string }
      >();
      if (first !== undefined) {
        if (flags.asGroup !== undefined || flags.namespace !== undefined || flags.cluster !== undefined)
          throw new Error(
            'can-i: --as-group, -n/--namespace and --cluster are Kubernetes flags; a GCP question takes none',
          );
        const [permission, resource] = second === undefined ? [undefined, first] : [first, second];
        const asOf = asOfDate(flags.asOf);
        await answerGcp(context, flags, (q) => {
          const answers = q.canI({
            as: flags.as,
            resource,
            ...(permission ? { permission } : {}),
            ...(asOf ? { asOf } : {}),
          });
          return flags.json ? json(answers) : formatGcpCanI(answers, flags.as);
        });
        return;
      }
      if (flags.asOf !== undefined) throw new Error('can-i: --as-of applies to a GCP question only');
      await answerRbac(context, flags, (q) => {
        const answers = q.canI({
          as: flags.as,
          groups: flags.asGroup ?? [],
          namespace: flags.namespace,
          cluster: flags.cluster,
        });
        return flags.json ? json(answers) : formatRbacRights(answers);
      });
    });
}

interface KubernetesFlags {
  snapshot?: string;
  json?: boolean;
  namespace?: string;
  name?: string;
  cluster?: string;
}

/**
 * Answers a Kubernetes authorization question over the RBAC objects of a snapshot in memory
 * (--snapshot, every provider it holds, as a sync would load them), else of the graph.
 */
async function answerRbac(
  context: () => CliContext,
  flags: KubernetesFlags,
  ask: (queries: KubernetesRbacQueries) => string,
): Promise<void> {
  await answerAuthorization(
    context,
    flags,
    {
      memory: (valid) => KubernetesRbacQueries.fromInventory(valid),
      graph: (reader) => KubernetesRbacQueries.fromGraph(reader, flags.cluster),
    },
    ask,
  );
}

/**
 * Answers a GCP authorization question over the policies of a snapshot in memory (--snapshot, as a
 * sync would load them), else of the graph. The decision is made now, or as of --as-of, in both.
 */
async function answerGcp(
  context: () => CliContext,
  flags: { snapshot?: string; asOf?: string },
  ask: (queries: GcpIamQueries) => string,
): Promise<void> {
  await answerAuthorization(
    context,
    flags,
    {
      memory: (valid) => GcpIamQueries.fromInventory(valid),
      graph: (reader) => GcpIamQueries.fromGraph(reader),
    },
    ask,
  );
}

/** An authorization question over the objects of a snapshot analyzed in memory, else of the graph. */
async function answerAuthorization<Q>(
  context: () => CliContext,
  flags: { snapshot?: string; asOf?: string },
  from: { memory: (valid: ValidInventory) => Q; graph: (reader: GraphReader) => Promise<Q> },
  ask: (queries: Q) => string,
): Promise<void> {
  const { config, output } = context();
  if (flags.snapshot !== undefined) {
    const asOf = asOfDate(flags.asOf);
    const { issues, valid } = await analyzeProviders(
      providerJobs(PROVIDER_REGISTRY, [], { snapshotRoot: flags.snapshot, options: {} }, config),
      asOf ? { asOf } : {},
    );
    const errors = issues.filter((i) => i.severity === 'error').length;
    if (errors > 0)
      output.err(`${flags.snapshot}: ${errors} collection error(s); run \`reachgraph analyze\` for details`);
    output.out(ask(from.memory(valid)));
    return;
  }
  const graph = await openGraph(config, { onProgress: (m) => output.err(m) });
  try {
    output.out(ask(await from.graph(executorReader(graph.executor))));
  } finally {
    await graph.close();
  }
}

/** Which accounts, clusters or kinds of target an escalation or admin question is about. */
function targetOptions(command: Command): Command {
  return command
    .option('--account <id>', 'only this AWS account (12 digits)')
    .option('--cluster <name>', 'only this Kubernetes cluster (and its nodes)')
    .option('--kind <kind>', `only targets of this kind (${ESCALATION_TARGET_KINDS.join(', ')})`);
}

function targetsOf(flags: TargetOptions): TargetOptions {
  return { account: flags.account, cluster: flags.cluster, kind: flags.kind };
}

function maxHops(flags: PathFlags): number | undefined {
  if (flags.maxHops === undefined) return undefined;
  if (!/^\d+$/.test(flags.maxHops))
    throw new Error(`--max-hops: expected an integer from 0 to ${MAX_HOPS_LIMIT}, got "${flags.maxHops}"`);
  return checkMaxHops(Number(flags.maxHops));
}

/** Answers from a snapshot in memory (`--snapshot`), else from the graph. */
async function answer(
  context: () => CliContext,
  flags: PathFlags,
  ask: (queries: PathQueries) => Promise<string>,
): Promise<void> {
  const { config, output } = context();
  const asOf = asOfDate(flags.asOf);
  if (flags.snapshot !== undefined) {
    const { issues, valid } = await analyzeProviders(
      providerJobs(PROVIDER_REGISTRY, [], { snapshotRoot: flags.snapshot, options: {} }, config),
      asOf ? { asOf } : {},
    );
    const errors = issues.filter((i) => i.severity === 'error').length;
    if (errors > 0)
      output.err(`${flags.snapshot}: ${errors} collection error(s); run \`reachgraph analyze\` for details`);
    output.out(await ask(new MemoryPathQueries(MemoryGraph.fromInventory(valid))));
    return;
  }
  if (asOf)
    throw new Error(
      '--as-of needs --snapshot: the graph was analyzed as of its collection run (`reachgraph runs` shows when); sync again with --as-of to change it',
    );
  const graph = await openGraph(config, { onProgress: (m) => output.err(m) });
  try {
    output.out(await ask(new GraphPathQueries(graph.executor)));
  } finally {
    await graph.close();
  }
}

function parseParam(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq < 1) throw new Error(`--param: expected key=value, got "${text}"`);
  const raw = text.slice(eq + 1);
  try {
    return [text.slice(0, eq), JSON.parse(raw)];
  } catch {
    return [text.slice(0, eq), raw];
  }
}

function cell(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
}
