import {
  KubernetesRbacQueries,
  type RbacEvidence,
  type RbacRightAnswer,
  type RbacWhoCanAnswer,
} from '../answers/kubernetes-rbac.js';
import type { Subject, UserInfo } from '../model/kubernetes/rbac.js';
import { builder } from './builder.js';
import { badRequestFrom } from './errors.js';

// ── Kubernetes authorization: the same answers as `reachgraph query who-can VERB RESOURCE` and
// `reachgraph query can-i --as SUBJECT`, from the RBAC objects the graph stores ──────────────────

const SubjectRef = builder.objectRef<Subject>('KubernetesSubject').implement({
  description: 'A binding subject or requester: a User, a Group or a ServiceAccount.',
  fields: (t) => ({
    kind: t.exposeString('kind'),
    name: t.exposeString('name'),
    namespace: t.string({ nullable: true, resolve: (s) => s.namespace ?? null }),
  }),
});

const RequesterRef = builder.objectRef<UserInfo>('KubernetesRequester').implement({
  description:
    'A requester as the API server sees it: its user name and every group, implicit ones included.',
  fields: (t) => ({
    name: t.exposeString('name'),
    groups: t.exposeStringList('groups'),
  }),
});

const GrantRef = builder.objectRef<RbacEvidence>('KubernetesRbacGrant').implement({
  description: 'The binding, its role and the rule (index in the effective rules) that grant a request.',
  fields: (t) => ({
    bindingKind: t.string({ resolve: (g) => g.binding.kind }),
    bindingName: t.string({ resolve: (g) => g.binding.name }),
    bindingNamespace: t.string({ nullable: true, resolve: (g) => g.binding.namespace ?? null }),
    roleKind: t.string({ resolve: (g) => g.role.kind }),
    roleName: t.string({ resolve: (g) => g.role.name }),
    roleNamespace: t.string({ nullable: true, resolve: (g) => g.role.namespace ?? null }),
    ruleIndex: t.exposeInt('ruleIndex'),
    verbs: t.stringList({ resolve: (g) => [...g.rule.verbs] }),
    apiGroups: t.stringList({ resolve: (g) => [...(g.rule.apiGroups ?? [])] }),
    resources: t.stringList({ resolve: (g) => [...(g.rule.resources ?? [])] }),
    resourceNames: t.stringList({ resolve: (g) => [...(g.rule.resourceNames ?? [])] }),
    nonResourceURLs: t.stringList({ resolve: (g) => [...(g.rule.nonResourceURLs ?? [])] }),
    aggregatedFrom: t.string({
      nullable: true,
      description: "An aggregated ClusterRole's rule: the ClusterRole it comes from.",
      resolve: (g) => g.aggregatedFrom ?? null,
    }),
  }),
});

const WhoCanRef = builder.objectRef<RbacWhoCanAnswer>('KubernetesWhoCan').implement({
  description: 'A requester the RBAC authorizer allows a request, and why.',
  fields: (t) => ({
    cluster: t.exposeString('cluster'),
    subject: t.field({ type: SubjectRef, resolve: (a) => a.subject }),
    masters: t.exposeBoolean('masters', {
      description: 'Allowed as a member of system:masters, before RBAC is asked (then grant is null).',
    }),
    through: t.field({
      type: SubjectRef,
      nullable: true,
      description: 'The binding subject that names the requester when it is not the requester itself.',
      resolve: (a) => a.through,
    }),
    grant: t.field({ type: GrantRef, nullable: true, resolve: (a) => a.grant }),
  }),
});

const RightRef = builder.objectRef<RbacRightAnswer>('KubernetesRight').implement({
  description: 'One rule a requester holds, and where.',
  fields: (t) => ({
    cluster: t.exposeString('cluster'),
    user: t.field({ type: RequesterRef, resolve: (a) => a.user }),
    namespace: t.string({
      nullable: true,
      description: 'The namespace a RoleBinding grants it in; null for a ClusterRoleBinding (everywhere).',
      resolve: (a) => a.namespace,
    }),
    masters: t.exposeBoolean('masters'),
    through: t.field({ type: SubjectRef, nullable: true, resolve: (a) => a.through }),
    grant: t.field({ type: GrantRef, nullable: true, resolve: (a) => a.grant }),
  }),
});

builder.queryField('kubernetesWhoCan', (t) =>
  t.field({
    type: [WhoCanRef],
    description:
      'Who the Kubernetes RBAC authorizer allows to make a request (`reachgraph query who-can VERB RESOURCE`), with the binding, role and rule.',
    args: {
      verb: t.arg.string({ required: true, description: 'get, list, create, impersonate, escalate, …' }),
      resource: t.arg.string({
        required: true,
        description:
          'RESOURCE[.GROUP][/SUBRESOURCE] (pods, pods/exec, deployments.apps) or a non-resource URL (/metrics).',
      }),
      namespace: t.arg.string({ description: "The request's namespace; without it, across all namespaces." }),
      name: t.arg.string({ description: "The object's name (resourceNames)." }),
      cluster: t.arg.string({ description: 'Only this cluster.' }),
    },
    complexity: 20,
    resolve: async (_root, args, { graph }) => {
      const queries = await KubernetesRbacQueries.fromGraph(graph, args.cluster ?? undefined);
      return badRequestFrom(() =>
        queries.whoCan({
          verb: args.verb,
          resource: args.resource,
          ...(args.namespace ? { namespace: args.namespace } : {}),
          ...(args.name ? { name: args.name } : {}),
          ...(args.cluster ? { cluster: args.cluster } : {}),
        }),
      );
    },
  }),
);

builder.queryField('kubernetesCanI', (t) =>
  t.field({
    type: [RightRef],
    description:
      "One requester's effective Kubernetes RBAC rights (`reachgraph query can-i --as SUBJECT`), where they hold, with the binding, role and rule.",
    args: {
      as: t.arg.string({
        required: true,
        description: 'A user name, system:serviceaccount:NS:NAME or system:node:NAME.',
      }),
      groups: t.arg.stringList({ description: "Groups to add to the requester's own." }),
      namespace: t.arg.string({ description: 'Only this namespace (and the cluster-wide rules).' }),
      cluster: t.arg.string({ description: 'Only this cluster.' }),
    },
    complexity: 20,
    resolve: async (_root, args, { graph }) => {
      const queries = await KubernetesRbacQueries.fromGraph(graph, args.cluster ?? undefined);
      return badRequestFrom(() =>
        queries.canI({
          as: args.as,
          groups: args.groups ?? [],
          ...(args.namespace ? { namespace: args.namespace } : {}),
          ...(args.cluster ? { cluster: args.cluster } : {}),
        }),
      );
    },
  }),
);
