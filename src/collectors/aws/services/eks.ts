import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  paginateListAccessEntries,
  paginateListAssociatedAccessPolicies,
  paginateListClusters,
  paginateListPodIdentityAssociations,
} from '@aws-sdk/client-eks';
import type {
  EksAccessEntry,
  EksAccessPolicyAssociation,
  EksAuthenticationMode,
  EksClusterData,
  EksPodIdentityAssociation,
} from '../../../model/aws/eks.js';
import { eachLimit } from '../../../util/pool.js';
import { arr, isObj, type Obj, obj, optStr, ShapeError, str, strings } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { perResource, regional } from '../raw.js';
import type { AwsService, ResourceContext } from './service.js';

const LIST = 'eks-list-clusters';
const DESCRIBE = 'eks-describe-cluster';
const ENTRIES = 'eks-list-access-entries';
const ENTRY = 'eks-describe-access-entry';
const POLICIES = 'eks-list-associated-access-policies';
const ASSOCIATIONS = 'eks-list-pod-identity-associations';
const ASSOCIATION = 'eks-describe-pod-identity-association';

const MODES: readonly EksAuthenticationMode[] = ['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'];

/**
 * EKS clusters: who enters them from AWS (access entries and their access policies,
 * https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html) and which AWS role a
 * service account's pods become (Pod Identity,
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html). A cluster is no AWS
 * resource node of its own: its Kubernetes side is the Kubernetes provider's K8sCluster, and the
 * cross-provider rules read these facts (`AwsAccountData.eksClusters`, read by `eksClusters`).
 * Per-cluster documents are named after the cluster, per-entry ones `<cluster>/<principal ARN>`,
 * per-association ones `<cluster>/<association id>`.
 */
export const eks: AwsService = {
  name: 'eks',
  placement: 'region',
  snapshot: {
    documents: [LIST],
    perResource: [DESCRIBE, ENTRIES, ENTRY, POLICIES, ASSOCIATIONS, ASSOCIATION],
  },
  resources: [],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new EKSClient(config);
    const list = (await record(scope, at(LIST), () => allPages(paginateListClusters({ client }, {})))) as
      | { clusters?: string[] }
      | undefined;
    ran(DESCRIBE, ENTRIES, ENTRY, POLICIES, ASSOCIATIONS, ASSOCIATION);
    const entries: { name: string; principalArn: string }[] = [];
    const associations: { name: string; associationId: string }[] = [];
    await eachLimit(list?.clusters ?? [], limit, async (name) => {
      await record(scope, one(DESCRIBE, name), () => client.send(new DescribeClusterCommand({ name })));
      const listed = (await record(scope, one(ENTRIES, name), () =>
        allPages(paginateListAccessEntries({ client }, { clusterName: name })),
      )) as { accessEntries?: string[] } | undefined;
      for (const principalArn of listed?.accessEntries ?? []) entries.push({ name, principalArn });
      const pods = (await record(scope, one(ASSOCIATIONS, name), () =>
        allPages(paginateListPodIdentityAssociations({ client }, { clusterName: name })),
      )) as { associations?: { associationId?: string }[] } | undefined;
      for (const { associationId } of pods?.associations ?? [])
        if (associationId) associations.push({ name, associationId });
    });
    // One flat pool for the per-entry calls, so that concurrency stays bounded by `limit`.
    await eachLimit(entries, limit, async ({ name, principalArn }) => {
      await record(scope, one(ENTRY, `${name}/${principalArn}`), () =>
        client.send(new DescribeAccessEntryCommand({ clusterName: name, principalArn })),
      );
      await record(scope, one(POLICIES, `${name}/${principalArn}`), () =>
        allPages(paginateListAssociatedAccessPolicies({ client }, { clusterName: name, principalArn })),
      );
    });
    await eachLimit(associations, limit, async ({ name, associationId }) => {
      await record(scope, one(ASSOCIATION, `${name}/${associationId}`), () =>
        client.send(new DescribePodIdentityAssociationCommand({ clusterName: name, associationId })),
      );
    });
  },

  transform: () => [],
};

/** Every EKS cluster of the account, in every region its documents were written for. */
export function eksClusters(ctx: ResourceContext): EksClusterData[] {
  const { reader } = ctx;
  return reader.getRegional(LIST).flatMap(({ region, document }) => {
    const source = reader.file(regional(LIST, region));
    const names = reader.guard(source, () => strings(obj(document, 'the document'), 'clusters')) ?? [];
    return names.flatMap((name) => {
      const file = reader.file(perResource(DESCRIBE, name, region));
      const cluster = reader.guard(file, () => readCluster(ctx, name, region));
      return cluster ? [cluster] : [];
    });
  });
}

function readCluster(
  ctx: ResourceContext,
  name: string,
  region: string | undefined,
): EksClusterData | undefined {
  const { reader } = ctx;
  const described = reader.resource(DESCRIBE, name, region);
  if (described === undefined) {
    if (!reader.failed(DESCRIBE, name, region))
      reader.issue(
        'warning',
        reader.file(perResource(DESCRIBE, name, region)),
        `cluster ${name} is listed but not described: its issuer and authentication mode are unknown`,
        name,
      );
    return undefined;
  }
  const c = obj(obj(described, 'the document').cluster, 'cluster');
  const arn = str(c, 'arn');
  const mode = isObj(c.accessConfig) ? optStr(c.accessConfig, 'authenticationMode') : undefined;
  if (mode !== undefined && !MODES.includes(mode as EksAuthenticationMode))
    throw new ShapeError(
      `cluster.accessConfig.authenticationMode must be one of ${MODES.join(', ')}, got "${mode}"`,
    );
  const issuer = isObj(c.identity) && isObj(c.identity.oidc) ? optStr(c.identity.oidc, 'issuer') : undefined;
  const endpoint = optStr(c, 'endpoint');
  const entries = readEntries(ctx, name, region);
  const associations = readAssociations(ctx, name, region);
  return {
    arn,
    name,
    accountId: ctx.accountId,
    ...(region ? { region } : {}),
    ...(issuer ? { oidcIssuer: issuer } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(mode ? { authenticationMode: mode as EksAuthenticationMode } : {}),
    accessEntries: entries ?? [],
    podIdentityAssociations: associations ?? [],
    collected: { accessEntries: entries !== undefined, podIdentityAssociations: associations !== undefined },
  };
}

/** The cluster's access entries with their policies; undefined when the list was not read. */
function readEntries(
  ctx: ResourceContext,
  name: string,
  region: string | undefined,
): EksAccessEntry[] | undefined {
  const { reader } = ctx;
  const listed = reader.resource(ENTRIES, name, region);
  if (listed === undefined) return undefined;
  const source = reader.file(perResource(ENTRIES, name, region));
  const arns = reader.guard(source, () => strings(obj(listed, 'the document'), 'accessEntries'));
  if (!arns) return undefined;
  return arns.flatMap((principalArn) => {
    const key = `${name}/${principalArn}`;
    const file = reader.file(perResource(ENTRY, key, region));
    const described = describedOrReported(
      ctx,
      ENTRY,
      key,
      region,
      `access entry ${principalArn} of cluster ${name}`,
    );
    if (described === undefined) return [];
    const entry = reader.guard(file, () =>
      readEntry(obj(obj(described, 'the document').accessEntry, 'accessEntry')),
    );
    if (!entry) return [];
    const policies = reader.resource(POLICIES, key, region);
    if (policies === undefined && !reader.failed(POLICIES, key, region))
      reader.issue(
        'warning',
        reader.file(perResource(POLICIES, key, region)),
        `the access policies of ${principalArn} on cluster ${name} were not listed: its rights from them are unknown`,
        principalArn,
      );
    if (policies !== undefined)
      entry.accessPolicies =
        reader.guard(reader.file(perResource(POLICIES, key, region)), () =>
          arr(obj(policies, 'the document'), 'associatedAccessPolicies').map((p, i) =>
            readPolicy(obj(p, `associatedAccessPolicies[${i}]`)),
          ),
        ) ?? [];
    return [entry];
  });
}

function readEntry(e: Obj): EksAccessEntry {
  const username = optStr(e, 'username');
  const entryArn = optStr(e, 'accessEntryArn');
  return {
    ...(entryArn ? { accessEntryArn: entryArn } : {}),
    principalArn: str(e, 'principalArn'),
    type: optStr(e, 'type') ?? 'STANDARD',
    ...(username ? { username } : {}),
    kubernetesGroups: strings(e, 'kubernetesGroups'),
    accessPolicies: [],
  };
}

function readPolicy(p: Obj): EksAccessPolicyAssociation {
  const scope = obj(p.accessScope, 'accessScope');
  const type = str(scope, 'type');
  if (type !== 'cluster' && type !== 'namespace')
    throw new ShapeError(`accessScope.type must be cluster or namespace, got "${type}"`);
  return { policyArn: str(p, 'policyArn'), accessScope: { type, namespaces: strings(scope, 'namespaces') } };
}

/** The cluster's pod identity associations; undefined when the list was not read. */
function readAssociations(
  ctx: ResourceContext,
  name: string,
  region: string | undefined,
): EksPodIdentityAssociation[] | undefined {
  const { reader } = ctx;
  const listed = reader.resource(ASSOCIATIONS, name, region);
  if (listed === undefined) return undefined;
  const source = reader.file(perResource(ASSOCIATIONS, name, region));
  const ids = reader.guard(source, () =>
    arr(obj(listed, 'the document'), 'associations').map((a, i) =>
      str(obj(a, `associations[${i}]`), 'associationId'),
    ),
  );
  if (!ids) return undefined;
  return ids.flatMap((id) => {
    const key = `${name}/${id}`;
    const file = reader.file(perResource(ASSOCIATION, key, region));
    const described = describedOrReported(
      ctx,
      ASSOCIATION,
      key,
      region,
      `pod identity association ${id} of cluster ${name}`,
    );
    if (described === undefined) return [];
    const a = reader.guard(file, () => {
      const x = obj(obj(described, 'the document').association, 'association');
      const target = optStr(x, 'targetRoleArn');
      const arn = optStr(x, 'associationArn');
      return {
        ...(arn ? { associationArn: arn } : {}),
        associationId: str(x, 'associationId'),
        namespace: str(x, 'namespace'),
        serviceAccount: str(x, 'serviceAccount'),
        roleArn: str(x, 'roleArn'),
        ...(target ? { targetRoleArn: target } : {}),
      };
    });
    return a ? [a] : [];
  });
}

/** One listed item's describe output; a missing one (not a failed call, already an error) is a warning. */
function describedOrReported(
  ctx: ResourceContext,
  command: string,
  key: string,
  region: string | undefined,
  what: string,
): unknown {
  const described = ctx.reader.resource(command, key, region);
  if (described === undefined && !ctx.reader.failed(command, key, region))
    ctx.reader.issue(
      'warning',
      ctx.reader.file(perResource(command, key, region)),
      `${what} is listed but not described: what it grants is unknown`,
      key,
    );
  return described;
}
