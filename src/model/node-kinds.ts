import { PARTITION } from './aws/partitions.js';
import { GROUP_MEMBERSHIP_STATES } from './gcp/environment.js';
import { GRANT_ID_PATTERN } from './grants.js';
import {
  COMMON_NODE_PROPERTIES,
  CREDENTIAL_PROPERTIES,
  FLAG_SEVERITIES,
  PRINCIPAL_PROPERTIES,
  type PropertySpecs,
  type Provider,
  RESOURCE_PROPERTIES,
} from './properties.js';

/**
 * Categories become extra Neo4j labels, so queries can ask for any `:Principal` or `:Resource`
 * without listing every kind.
 */
export const NODE_CATEGORIES = {
  principal: 'Principal',
  workload: 'Workload',
  credential: 'Credential',
  permission: 'PermissionContainer',
  resource: 'Resource',
  identityProvider: 'IdentityProvider',
} as const;
export type NodeCategory = keyof typeof NODE_CATEGORIES;

export interface NodeKindSpec {
  /** The node's primary label; also the `kind` of an inventory record. */
  label: string;
  provider: Provider;
  categories: readonly NodeCategory[];
  /** The id scheme, as documentation. */
  idFormat: string;
  /** The id scheme, as a check: ids that do not match are rejected with the format in the message. */
  idPattern: RegExp;
  meaning: string;
  /** Kind-specific properties (the category and common properties are added by `propertiesOf`). */
  properties: PropertySpecs;
}

const ARN = `arn:${PARTITION}`;
const ACCOUNT = '\\d{12}';

function kind(spec: NodeKindSpec): NodeKindSpec {
  return spec;
}

const arnProps: PropertySpecs = {
  arn: { type: 'string', description: 'The ARN.' },
  accountId: { type: 'string', description: 'The 12-digit AWS account id.' },
};
/** What who-can decides from (answers/gcp-iam-objects.ts): the allow policy attached to the node. */
const gcpPolicyProps: PropertySpecs = {
  iamPolicy: {
    type: 'string',
    description:
      'The IAM allow policy attached here, JSON: {source, bindings: [{role, members, condition}]}.',
  },
};
const gcpContainerProps: PropertySpecs = {
  ...gcpPolicyProps,
  denyPolicies: {
    type: 'string',
    description: 'The IAM deny policies attached here, JSON: [{name, source, rules}].',
  },
};
const gcpResourceProps: PropertySpecs = {
  ...gcpPolicyProps,
  fullName: {
    type: 'string',
    description: 'The full resource name (`//storage.googleapis.com/projects/_/buckets/b`).',
  },
  projectId: { type: 'string', description: 'The project it belongs to.' },
  labels: { type: 'string[]', description: 'Labels as `key=value` strings.' },
};
/** Kubernetes metadata as stored: owner resolution (docs/owners.md) reads them. */
const k8sMetaProps: PropertySpecs = {
  labels: { type: 'string[]', description: 'Labels as `key=value` strings.' },
  annotations: { type: 'string[]', description: 'Annotations as `key=value` strings.' },
};
const tagProps: PropertySpecs = {
  tags: { type: 'string[]', description: 'Tags as `key=value` strings.' },
};

export const NODE_KINDS = [
  // ── Principals ──────────────────────────────────────────────────────────────────────────────
  kind({
    label: 'AwsUser',
    provider: 'aws',
    categories: ['principal'],
    idFormat: 'arn:aws:iam::<account>:user/<path><name>',
    idPattern: new RegExp(`^${ARN}:iam::${ACCOUNT}:user/.+$`),
    meaning: 'An IAM user: a person, or a bot holding long-lived access keys.',
    properties: {
      ...arnProps,
      ...tagProps,
      userId: { type: 'string', description: 'The unique id AWS gives the user (AIDA…).' },
      createdAt: { type: 'datetime', description: 'When the user was created.' },
      passwordEnabled: { type: 'boolean', description: 'Has a console password.' },
      passwordLastUsedAt: { type: 'datetime', description: 'Last console sign-in.' },
    },
  }),
  kind({
    label: 'AwsRole',
    provider: 'aws',
    categories: ['principal'],
    idFormat: 'arn:aws:iam::<account>:role/<path><name>',
    idPattern: new RegExp(`^${ARN}:iam::${ACCOUNT}:role/.+$`),
    meaning: 'An IAM role, assumed by principals its trust policy admits.',
    properties: {
      ...arnProps,
      ...tagProps,
      roleId: { type: 'string', description: 'The unique id AWS gives the role (AROA…).' },
      createdAt: { type: 'datetime', description: 'When the role was created.' },
      lastUsedAt: { type: 'datetime', description: 'RoleLastUsed, if AWS reports it.' },
      maxSessionDurationSeconds: { type: 'integer', description: 'Longest session a caller can request.' },
    },
  }),
  kind({
    label: 'AwsServicePrincipal',
    provider: 'aws',
    categories: ['principal'],
    idFormat: 'aws:service:<service>.amazonaws.com',
    idPattern: /^aws:service:[a-z0-9.-]+$/,
    meaning: 'An AWS service (lambda.amazonaws.com, ec2.amazonaws.com…) acting for a role it is trusted by.',
    properties: {},
  }),
  kind({
    label: 'AwsAccountRoot',
    provider: 'aws',
    categories: ['principal'],
    idFormat: 'arn:aws:iam::<account>:root',
    idPattern: new RegExp(`^${ARN}:iam::${ACCOUNT}:root$`),
    meaning:
      'An account as a principal: trusting it delegates to whatever that account’s identity policies allow.',
    properties: { ...arnProps },
  }),
  kind({
    label: 'GcpServiceAccount',
    provider: 'gcp',
    categories: ['principal'],
    idFormat: 'gcp:sa:<email>',
    idPattern: /^gcp:sa:[^@\s]+@[^@\s]+$/,
    meaning: 'A Google Cloud service account.',
    properties: {
      email: { type: 'string', description: 'The service account email.' },
      projectId: { type: 'string', description: 'The project that owns it.' },
      disabled: { type: 'boolean', description: 'Disabled accounts cannot authenticate.' },
      ...gcpPolicyProps,
    },
  }),
  kind({
    label: 'GcpUser',
    provider: 'gcp',
    categories: ['principal'],
    idFormat: 'gcp:user:<email>',
    idPattern: /^gcp:user:[^@\s]+@[^@\s]+$/,
    meaning: 'A Google account named in an IAM binding.',
    properties: { email: { type: 'string', description: 'The account email.' } },
  }),
  kind({
    label: 'GcpGroup',
    provider: 'gcp',
    categories: ['principal'],
    idFormat: 'gcp:group:<email>',
    idPattern: /^gcp:group:[^@\s]+@[^@\s]+$/,
    meaning: 'A Google group named in an IAM binding.',
    properties: {
      email: { type: 'string', description: 'The group email.' },
      membership: {
        type: 'string',
        description:
          'What the collection knows of its members (Cloud Identity): every one, some (a member could not be named) or none (the listing was refused). Absent: not collected, members unknown.',
        values: GROUP_MEMBERSHIP_STATES,
      },
      membershipTransitive: {
        type: 'boolean',
        description:
          'The listing holds indirect members too (search-transitive-memberships): MEMBER_OF reaches it from nested groups’ members directly.',
      },
    },
  }),
  kind({
    label: 'GcpDomain',
    provider: 'gcp',
    categories: ['principal'],
    idFormat: 'gcp:domain:<domain>',
    idPattern: /^gcp:domain:[a-z0-9.-]+$/,
    meaning: 'Every Google account of a Google Workspace or Cloud Identity domain (`domain:` in a binding).',
    properties: { domain: { type: 'string', description: 'The domain.' } },
  }),
  kind({
    label: 'GcpPrincipalSet',
    provider: 'gcp',
    categories: ['principal'],
    idFormat:
      'gcp:principalset:<principal:// or principalSet:// identifier, or serviceAccount:PROJECT.svc.id.goog[NS/KSA]>',
    idPattern:
      /^gcp:principalset:(principal(Set)?:\/\/\S+|serviceAccount:[^\s[\]]+\.svc\.id\.goog\[[^\]\s/]+\/[^\]\s/]+\])$/,
    meaning:
      'Federated identities a binding names: one workload identity federation subject (`principal://…`, or a GKE workload’s `serviceAccount:PROJECT.svc.id.goog[NS/KSA]`), or a set of them (`principalSet://…`: a whole pool, or the subjects with one attribute value, such as one GitHub repository or one Kubernetes namespace).',
    properties: {
      uri: { type: 'string', description: 'The identifier as the binding writes it.' },
      pool: { type: 'string', description: 'The workload identity pool it belongs to.' },
      issuers: { type: 'string[]', description: 'The issuers of the pool’s providers.' },
    },
  }),
  kind({
    label: 'K8sServiceAccount',
    provider: 'kubernetes',
    categories: ['principal'],
    idFormat: 'k8s:<cluster>:<namespace>:sa:<name>',
    idPattern: /^k8s:[^:]+:[^:]+:sa:[^:]+$/,
    meaning: 'A Kubernetes service account; pods run as one.',
    properties: {
      cluster: { type: 'string', description: 'The cluster name.' },
      namespace: { type: 'string', description: 'The namespace.' },
      ...k8sMetaProps,
    },
  }),
  kind({
    label: 'K8sUser',
    provider: 'kubernetes',
    categories: ['principal'],
    idFormat: 'k8s:<cluster>:user:<name>',
    idPattern: /^k8s:[^:]+:user:.+$/,
    meaning: 'A user name that RBAC bindings name (authenticated outside the cluster).',
    properties: { cluster: { type: 'string', description: 'The cluster name.' } },
  }),
  kind({
    label: 'K8sGroup',
    provider: 'kubernetes',
    categories: ['principal'],
    idFormat: 'k8s:<cluster>:group:<name>',
    idPattern: /^k8s:[^:]+:group:.+$/,
    meaning: 'A group name that RBAC bindings name (system:masters, system:authenticated…).',
    properties: { cluster: { type: 'string', description: 'The cluster name.' } },
  }),
  kind({
    label: 'K8sPod',
    provider: 'kubernetes',
    categories: ['principal', 'workload', 'resource'],
    idFormat: 'k8s:<cluster>:<namespace>:pod:<name>',
    idPattern: /^k8s:[^:]+:[^:]+:pod:[^:]+$/,
    meaning: 'A running workload; it runs as its service account and can reach its node.',
    properties: {
      cluster: { type: 'string', description: 'The cluster name.' },
      namespace: { type: 'string', description: 'The namespace.' },
      serviceAccount: { type: 'string', description: 'The service account name.' },
      ...k8sMetaProps,
      privileged: { type: 'boolean', description: 'Any container runs privileged.' },
      hostPath: { type: 'boolean', description: 'Mounts a host path.' },
    },
  }),
  kind({
    label: 'K8sWorkload',
    provider: 'kubernetes',
    categories: ['principal', 'workload', 'resource'],
    idFormat: 'k8s:<cluster>:<namespace>:<deployment|daemonset|statefulset|replicaset|job|cronjob>:<name>',
    idPattern: /^k8s:[^:]+:[^:]+:(deployment|daemonset|statefulset|replicaset|job|cronjob):[^:]+$/,
    meaning:
      'A workload controller (Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob): every pod it creates runs as its pod template’s service account.',
    properties: {
      cluster: { type: 'string', description: 'The cluster name.' },
      namespace: { type: 'string', description: 'The namespace.' },
      workloadKind: {
        type: 'string',
        description: 'Deployment, DaemonSet, StatefulSet, ReplicaSet, Job or CronJob.',
      },
      serviceAccount: { type: 'string', description: 'The pod template’s service account name.' },
      ...k8sMetaProps,
    },
  }),
  kind({
    label: 'K8sNode',
    provider: 'kubernetes',
    categories: ['principal', 'resource'],
    idFormat: 'k8s:<cluster>:node:<name>',
    idPattern: /^k8s:[^:]+:node:[^:]+$/,
    meaning:
      'A node: root on it is reached by escaping a privileged or host-mounting pod, and its kubelet acts as `system:node:<name>`.',
    properties: {
      cluster: { type: 'string', description: 'The cluster name.' },
      controlPlane: { type: 'boolean', description: 'Runs control-plane components.' },
    },
  }),
  kind({
    label: 'OidcSubject',
    provider: 'oidc',
    categories: ['principal'],
    idFormat: 'oidc:<issuer host>:<subject>',
    idPattern: /^oidc:[^:]+:.+$/,
    meaning:
      'A federated subject: a GitHub Actions repository and ref, an EKS or GKE service account, an identity pool subject.',
    properties: {
      issuer: { type: 'string', description: 'The token issuer URL.' },
      subject: { type: 'string', description: 'The `sub` claim or pattern (may contain wildcards).' },
      audience: { type: 'string', description: 'The `aud` claim the trust requires, if any.' },
    },
  }),
  kind({
    label: 'ExternalPrincipal',
    provider: 'external',
    categories: ['principal'],
    idFormat: 'external:<principal as written in the policy>',
    idPattern: /^external:.+$/,
    meaning: 'A principal outside what was collected, e.g. another company’s account in a trust policy.',
    properties: {
      accountId: { type: 'string', description: 'The AWS account id, when the principal is an AWS one.' },
    },
  }),
  kind({
    label: 'Public',
    provider: 'external',
    categories: ['principal'],
    idFormat:
      'public:<provider>[:<variant>] (public:aws, public:gcp:allUsers, public:gcp:allAuthenticatedUsers)',
    idPattern: /^public:[a-z0-9]+(:[A-Za-z0-9:_-]+)?$/,
    meaning: 'Anyone: `Principal: "*"`, allUsers, system:anonymous.',
    properties: {},
  }),
  kind({
    label: 'Grant',
    provider: 'external',
    categories: [],
    idFormat: 'grant:<provider>:<scope or shared>:<family>:<digest>',
    idPattern: GRANT_ID_PATTERN,
    meaning:
      'One shared reason why a set of principals reaches a set of targets, stored once instead of one edge per pair (src/model/grants.ts). Answers never show it: they see the pair edges it stands for.',
    properties: {
      family: {
        type: 'string',
        description:
          'What the members share, e.g. `assume-account-roles`, `access` (CAN_ACCESS to the same resources with the same access, whatever statements grant it), `escalate` (CAN_ESCALATE through workloads that may exist, or by passing a role to a new workload, to the roles of an account trusting a service), `inherited-binding` (a set of GCP organization, folder or project bindings: the members that hold them and the service accounts, resources and levels below them whose pair edge rests on those bindings alone).',
      },
      members: { type: 'integer', description: 'How many principals have an edge into it.' },
      targets: { type: 'integer', description: 'How many targets it has an edge to.' },
    },
  }),
  kind({
    label: 'CustomIdentity',
    provider: 'custom',
    categories: ['principal'],
    idFormat: 'custom:<system>:<id> (any stable string under custom:)',
    idPattern: /^custom:[^:]+:.+$/,
    meaning: 'An identity from a system reachgraph does not collect (an internal CI system, a vault role).',
    properties: {
      system: { type: 'string', description: 'The system it comes from (jenkins, vault…).' },
    },
  }),

  // ── Credentials ─────────────────────────────────────────────────────────────────────────────
  kind({
    label: 'AwsAccessKey',
    provider: 'aws',
    categories: ['credential'],
    idFormat: 'aws:key:<access key id>',
    idPattern: /^aws:key:(AKIA|ASIA)[A-Z0-9]{12,}$/,
    meaning: 'A long-lived access key of an IAM user. The key id only, never the secret.',
    properties: { ...CREDENTIAL_PROPERTIES, accessKeyId: { type: 'string', description: 'The key id.' } },
  }),
  kind({
    label: 'GcpServiceAccountKey',
    provider: 'gcp',
    categories: ['credential'],
    idFormat: 'gcp:sakey:<email>:<key id>',
    idPattern: /^gcp:sakey:[^@\s]+@[^:\s]+:[A-Za-z0-9]+$/,
    meaning: 'A user-managed key of a GCP service account. Metadata only.',
    properties: {
      ...CREDENTIAL_PROPERTIES,
      keyType: { type: 'string', description: 'USER_MANAGED or SYSTEM_MANAGED.' },
    },
  }),
  kind({
    label: 'K8sTokenSecret',
    provider: 'kubernetes',
    categories: ['credential'],
    idFormat: 'k8s:<cluster>:<namespace>:token:<secret name>',
    idPattern: /^k8s:[^:]+:[^:]+:token:[^:]+$/,
    meaning: 'A long-lived service-account token secret. Metadata only, never the token.',
    properties: { ...CREDENTIAL_PROPERTIES },
  }),
  kind({
    label: 'CustomCredential',
    provider: 'custom',
    categories: ['credential'],
    idFormat: 'custom:<system>:<id>',
    idPattern: /^custom:[^:]+:.+$/,
    meaning: 'A credential from a system reachgraph does not collect. Metadata only.',
    properties: { ...CREDENTIAL_PROPERTIES },
  }),

  // ── Permission containers ───────────────────────────────────────────────────────────────────
  kind({
    label: 'AwsPolicy',
    provider: 'aws',
    categories: ['permission'],
    idFormat: 'managed: the policy ARN; inline: <owner ARN>#inline/<policy name>',
    idPattern: new RegExp(`^${ARN}:iam::(aws|${ACCOUNT}):(policy/.+|(user|role|group)/.+#inline/.+)$`),
    meaning: 'A managed or inline IAM policy. The document is kept for explanations.',
    properties: {
      policyType: {
        type: 'string',
        description: 'Where the policy sits in evaluation.',
        values: ['managed', 'inline', 'permissions-boundary', 'scp', 'rcp', 'resource'],
      },
      document: { type: 'string', description: 'The policy document, JSON.' },
      defaultVersionId: { type: 'string', description: 'Managed policies: the default version.' },
    },
  }),
  kind({
    label: 'AwsGroup',
    provider: 'aws',
    categories: ['permission'],
    idFormat: 'arn:aws:iam::<account>:group/<path><name>',
    idPattern: new RegExp(`^${ARN}:iam::${ACCOUNT}:group/.+$`),
    meaning: 'An IAM group; its policies apply to its members.',
    properties: { ...arnProps },
  }),
  kind({
    label: 'GcpRole',
    provider: 'gcp',
    categories: ['permission'],
    idFormat: 'gcp:role:<role name> (roles/…, projects/<p>/roles/…, organizations/<o>/roles/…)',
    idPattern: /^gcp:role:(roles|projects\/[^/]+\/roles|organizations\/[^/]+\/roles)\/.+$/,
    meaning: 'A predefined or custom IAM role: a set of permissions.',
    properties: {
      permissions: { type: 'string[]', description: 'The permissions the role includes.' },
      custom: { type: 'boolean', description: 'A custom role.' },
      deleted: { type: 'boolean', description: 'A deleted custom role: it grants nothing while deleted.' },
    },
  }),
  kind({
    label: 'K8sRole',
    provider: 'kubernetes',
    categories: ['permission'],
    idFormat: 'k8s:<cluster>:<namespace>:role:<name>',
    idPattern: /^k8s:[^:]+:[^:]+:role:.+$/,
    meaning: 'A namespaced RBAC role.',
    properties: { rules: { type: 'string', description: 'The RBAC rules, JSON.' } },
  }),
  kind({
    label: 'K8sClusterRole',
    provider: 'kubernetes',
    categories: ['permission'],
    idFormat: 'k8s:<cluster>:clusterrole:<name>',
    idPattern: /^k8s:[^:]+:clusterrole:.+$/,
    meaning: 'A cluster-wide RBAC role (granted namespace-wide when bound by a RoleBinding).',
    properties: { rules: { type: 'string', description: 'The RBAC rules, JSON.' } },
  }),
  kind({
    label: 'K8sRoleBinding',
    provider: 'kubernetes',
    categories: ['permission'],
    idFormat: 'k8s:<cluster>:<namespace>:rolebinding:<name>',
    idPattern: /^k8s:[^:]+:[^:]+:rolebinding:.+$/,
    meaning: 'Grants a Role or ClusterRole to subjects within one namespace.',
    properties: {},
  }),
  kind({
    label: 'K8sClusterRoleBinding',
    provider: 'kubernetes',
    categories: ['permission'],
    idFormat: 'k8s:<cluster>:clusterrolebinding:<name>',
    idPattern: /^k8s:[^:]+:clusterrolebinding:.+$/,
    meaning: 'Grants a ClusterRole to subjects cluster-wide.',
    properties: {},
  }),

  // ── Identity providers ──────────────────────────────────────────────────────────────────────
  kind({
    label: 'AwsOidcProvider',
    provider: 'aws',
    categories: ['identityProvider'],
    idFormat: 'arn:aws:iam::<account>:oidc-provider/<host/path>',
    idPattern: new RegExp(`^${ARN}:iam::${ACCOUNT}:oidc-provider/.+$`),
    meaning: 'An IAM OIDC identity provider (GitHub Actions, an EKS cluster issuer…).',
    properties: {
      ...arnProps,
      url: { type: 'string', description: 'The issuer URL.' },
      clientIds: { type: 'string[]', description: 'Allowed audiences.' },
    },
  }),
  kind({
    label: 'AwsSamlProvider',
    provider: 'aws',
    categories: ['identityProvider'],
    idFormat: 'arn:aws:iam::<account>:saml-provider/<name>',
    idPattern: new RegExp(`^${ARN}:iam::${ACCOUNT}:saml-provider/.+$`),
    meaning: 'An IAM SAML identity provider.',
    properties: { ...arnProps },
  }),
  kind({
    label: 'GcpWorkloadIdentityPool',
    provider: 'gcp',
    categories: ['identityProvider'],
    idFormat: 'gcp:wipool:projects/<number>/locations/global/workloadIdentityPools/<pool>',
    idPattern: /^gcp:wipool:projects\/\d+\/locations\/[a-z0-9-]+\/workloadIdentityPools\/[^/\s]+$/,
    meaning: 'A workload identity pool: external identities admitted through its providers.',
    properties: { disabled: { type: 'boolean', description: 'A disabled pool admits nobody.' } },
  }),
  kind({
    label: 'GcpWorkloadIdentityProvider',
    provider: 'gcp',
    categories: ['identityProvider'],
    idFormat: 'gcp:wiprovider:projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<id>',
    idPattern:
      /^gcp:wiprovider:projects\/\d+\/locations\/[a-z0-9-]+\/workloadIdentityPools\/[^/\s]+\/providers\/[^/\s]+$/,
    meaning:
      'A provider of a workload identity pool: an OIDC issuer, an AWS account or a SAML identity provider.',
    properties: {
      issuer: { type: 'string', description: 'The OIDC issuer URI, `aws:<account id>` or `saml`.' },
      attributeCondition: { type: 'string', description: 'The CEL condition tokens must meet, if any.' },
      disabled: { type: 'boolean', description: 'A disabled provider admits nobody.' },
    },
  }),

  // ── Analysis flags ──────────────────────────────────────────────────────────────────────────
  kind({
    label: 'AnalysisFlag',
    provider: 'aws',
    categories: [],
    idFormat: 'flag:<rule>:<subject id>:<first 12 hex digits of the SHA-256 of the message>',
    idPattern: /^flag:[a-z0-9][a-z0-9-]*:.+:[0-9a-f]{12}$/,
    meaning:
      'A fact an analyzer noticed about a node (a trust admitting anyone, a wildcard OIDC subject, a public resource policy…), attached to it by HAS_FLAG so report rules can query it. The same fact keeps its id from run to run; `provider` is that of the flagged node.',
    properties: {
      rule: {
        type: 'string',
        description:
          'The analysis rule that raised it, e.g. `aws-role-trusts-anyone` (docs/aws.md lists them).',
        required: true,
      },
      severity: {
        type: 'string',
        description: 'How serious the analyzer rates it.',
        values: FLAG_SEVERITIES,
        required: true,
      },
      message: { type: 'string', description: 'One-line human description.', required: true },
      evidence: {
        type: 'string',
        description: 'The evidence records (policy, statement, reason), JSON array.',
        required: true,
      },
      evidenceRefs: { type: 'string[]', description: 'The policy/binding ids of the evidence, for lookups.' },
      subject: {
        type: 'string',
        description: 'Id of the flagged node (the source of its HAS_FLAG).',
        required: true,
      },
    },
  }),

  // ── Resources and scopes ────────────────────────────────────────────────────────────────────
  kind({
    label: 'AwsOrganization',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:organizations::<management account>:organization/o-<id>',
    idPattern: new RegExp(`^${ARN}:organizations::${ACCOUNT}:organization/o-[a-z0-9]+$`),
    meaning: 'An AWS Organization.',
    properties: {},
  }),
  kind({
    label: 'AwsAccount',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'aws:account:<account id>',
    idPattern: new RegExp(`^aws:account:${ACCOUNT}$`),
    meaning: 'An AWS account: the scope of an AWS collection.',
    properties: { accountId: { type: 'string', description: 'The 12-digit account id.' }, ...tagProps },
  }),
  kind({
    label: 'AwsS3Bucket',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:s3:::<bucket>',
    idPattern: new RegExp(`^${ARN}:s3:::[a-z0-9.-]+$`),
    meaning: 'An S3 bucket.',
    properties: {
      ...arnProps,
      ...tagProps,
      region: { type: 'string', description: 'The region.' },
      ...Object.fromEntries(
        ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'].flatMap(
          (name) => {
            const setting = name.charAt(0).toUpperCase() + name.slice(1);
            return [
              [
                name,
                {
                  type: 'boolean',
                  description: `S3 Block Public Access ${setting} in force: the bucket's setting or its account's (absent when neither was collected).`,
                },
              ],
              [
                `account${setting}`,
                { type: 'boolean', description: `True when the account-level ${setting} is on.` },
              ],
            ];
          },
        ),
      ),
      aclGrants: {
        type: 'string[]',
        description:
          "The bucket ACL's grants as `<grantee> <permission>` (`AllUsers READ`, `owner FULL_CONTROL`, `canonical-user:<id> WRITE`); absent when the ACL was not collected.",
      },
      objectOwnership: {
        type: 'string',
        description:
          'S3 Object Ownership: `BucketOwnerEnforced` (ACLs disabled), `BucketOwnerPreferred` or `ObjectWriter`; absent when none is set or it was not collected.',
      },
    },
  }),
  kind({
    label: 'AwsDynamoDbTable',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:dynamodb:<region>:<account>:table/<name>',
    idPattern: new RegExp(`^${ARN}:dynamodb:[a-z0-9-]+:${ACCOUNT}:table/.+$`),
    meaning: 'A DynamoDB table.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsKmsKey',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:kms:<region>:<account>:key/<key id>',
    idPattern: new RegExp(`^${ARN}:kms:[a-z0-9-]+:${ACCOUNT}:key/.+$`),
    meaning: 'A KMS key.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsSecret',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:secretsmanager:<region>:<account>:secret:<name>',
    idPattern: new RegExp(`^${ARN}:secretsmanager:[a-z0-9-]+:${ACCOUNT}:secret:.+$`),
    meaning: 'A Secrets Manager secret (metadata only).',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsRdsInstance',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:rds:<region>:<account>:db:<name>',
    idPattern: new RegExp(`^${ARN}:rds:[a-z0-9-]+:${ACCOUNT}:db:.+$`),
    meaning: 'An RDS database instance.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsRdsCluster',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:rds:<region>:<account>:cluster:<name>',
    idPattern: new RegExp(`^${ARN}:rds:[a-z0-9-]+:${ACCOUNT}:cluster:.+$`),
    meaning: 'An Aurora (or Multi-AZ) RDS database cluster.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsSqsQueue',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:sqs:<region>:<account>:<queue name>',
    idPattern: new RegExp(`^${ARN}:sqs:[a-z0-9-]+:${ACCOUNT}:[A-Za-z0-9_.-]+$`),
    meaning: 'An SQS queue; its queue policy is a resource policy.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsSnsTopic',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:sns:<region>:<account>:<topic name>',
    idPattern: new RegExp(`^${ARN}:sns:[a-z0-9-]+:${ACCOUNT}:[A-Za-z0-9_.-]+$`),
    meaning: 'An SNS topic; its topic policy is a resource policy.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsEcrRepository',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:ecr:<region>:<account>:repository/<name>',
    idPattern: new RegExp(`^${ARN}:ecr:[a-z0-9-]+:${ACCOUNT}:repository/.+$`),
    meaning: 'An ECR repository of container images; its repository policy is a resource policy.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsSsmParameter',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:ssm:<region>:<account>:parameter/<name>',
    idPattern: new RegExp(`^${ARN}:ssm:[a-z0-9-]+:${ACCOUNT}:parameter/.+$`),
    meaning:
      'A Systems Manager Parameter Store parameter (metadata only, never its value); reading a SecureString value also needs kms:Decrypt on its key.',
    properties: {
      ...arnProps,
      ...tagProps,
      parameterType: { type: 'string', description: '`String`, `StringList` or `SecureString`.' },
      kmsKeyId: { type: 'string', description: 'The KMS key a SecureString is encrypted with.' },
    },
  }),
  kind({
    label: 'AwsEfsFileSystem',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:elasticfilesystem:<region>:<account>:file-system/<id>',
    idPattern: new RegExp(`^${ARN}:elasticfilesystem:[a-z0-9-]+:${ACCOUNT}:file-system/fs-[a-z0-9]+$`),
    meaning:
      'An EFS file system; its file system policy (or, without one, the default policy that admits any client reaching a mount target) is a resource policy.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsOpenSearchDomain',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:es:<region>:<account>:domain/<name>',
    idPattern: new RegExp(`^${ARN}:es:[a-z0-9-]+:${ACCOUNT}:domain/[a-z0-9-]+$`),
    meaning: 'An OpenSearch Service domain; its access policy is a resource policy.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsApiGatewayRestApi',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:execute-api:<region>:<account>:<api id>',
    idPattern: new RegExp(`^${ARN}:execute-api:[a-z0-9-]+:${ACCOUNT}:[a-z0-9]+$`),
    meaning:
      'An API Gateway REST API, named by the execute-api ARN its resource policy governs (`<api id>/<stage>/<method>/<path>` below it).',
    properties: {
      ...arnProps,
      ...tagProps,
      endpointType: { type: 'string', description: '`PRIVATE`, `REGIONAL` or `EDGE`.' },
    },
  }),
  kind({
    label: 'AwsGlacierVault',
    provider: 'aws',
    categories: ['resource'],
    idFormat: 'arn:aws:glacier:<region>:<account>:vaults/<name>',
    idPattern: new RegExp(`^${ARN}:glacier:[a-z0-9-]+:${ACCOUNT}:vaults/.+$`),
    meaning: 'An S3 Glacier vault; its vault access policy is a resource policy.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsLambdaFunction',
    provider: 'aws',
    categories: ['principal', 'workload', 'resource'],
    idFormat: 'arn:aws:lambda:<region>:<account>:function:<name>',
    idPattern: new RegExp(`^${ARN}:lambda:[a-z0-9-]+:${ACCOUNT}:function:.+$`),
    meaning: 'A Lambda function; it runs as its execution role.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsEc2Instance',
    provider: 'aws',
    categories: ['principal', 'workload', 'resource'],
    idFormat: 'arn:aws:ec2:<region>:<account>:instance/<id>',
    idPattern: new RegExp(`^${ARN}:ec2:[a-z0-9-]+:${ACCOUNT}:instance/i-[a-f0-9]+$`),
    meaning: 'An EC2 instance; it runs as the role of its instance profile.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsGlueDevEndpoint',
    provider: 'aws',
    categories: ['principal', 'workload', 'resource'],
    idFormat: 'arn:aws:glue:<region>:<account>:devEndpoint/<name>',
    idPattern: new RegExp(`^${ARN}:glue:[a-z0-9-]+:${ACCOUNT}:devEndpoint/.+$`),
    meaning: 'A Glue development endpoint; code on it runs as its role.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsSageMakerNotebook',
    provider: 'aws',
    categories: ['principal', 'workload', 'resource'],
    idFormat: 'arn:aws:sagemaker:<region>:<account>:notebook-instance/<name>',
    idPattern: new RegExp(`^${ARN}:sagemaker:[a-z0-9-]+:${ACCOUNT}:notebook-instance/.+$`),
    meaning: 'A SageMaker notebook instance; its notebooks run as its role.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsCloudFormationStack',
    provider: 'aws',
    categories: ['principal', 'workload', 'resource'],
    idFormat: 'arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>',
    idPattern: new RegExp(`^${ARN}:cloudformation:[a-z0-9-]+:${ACCOUNT}:stack/.+$`),
    meaning: 'A CloudFormation stack; with a service role, its updates act as that role.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsCodeBuildProject',
    provider: 'aws',
    categories: ['principal', 'workload', 'resource'],
    idFormat: 'arn:aws:codebuild:<region>:<account>:project/<name>',
    idPattern: new RegExp(`^${ARN}:codebuild:[a-z0-9-]+:${ACCOUNT}:project/.+$`),
    meaning: 'A CodeBuild project; its builds run as its service role.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'AwsEcsTaskDefinition',
    provider: 'aws',
    categories: ['principal', 'workload', 'resource'],
    idFormat: 'arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>',
    idPattern: new RegExp(`^${ARN}:ecs:[a-z0-9-]+:${ACCOUNT}:task-definition/.+$`),
    meaning: 'An ECS task definition; its tasks run as its task role.',
    properties: { ...arnProps, ...tagProps },
  }),
  kind({
    label: 'GcpOrganization',
    provider: 'gcp',
    categories: ['resource'],
    idFormat: 'gcp:organizations/<number>',
    idPattern: /^gcp:organizations\/\d+$/,
    meaning: 'A Google Cloud organization: the top of the resource hierarchy.',
    properties: gcpContainerProps,
  }),
  kind({
    label: 'GcpFolder',
    provider: 'gcp',
    categories: ['resource'],
    idFormat: 'gcp:folders/<number>',
    idPattern: /^gcp:folders\/\d+$/,
    meaning: 'A folder in the resource hierarchy; IAM allow policies inherit down.',
    properties: gcpContainerProps,
  }),
  kind({
    label: 'GcpProject',
    provider: 'gcp',
    categories: ['resource'],
    idFormat: 'gcp:projects/<project id>',
    idPattern: /^gcp:projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    meaning: 'A project: the scope of a GCP collection.',
    properties: {
      ...gcpContainerProps,
      projectNumber: { type: 'string', description: 'The project number.' },
      labels: { type: 'string[]', description: 'Labels as `key=value` strings.' },
    },
  }),
  kind({
    label: 'GcpStorageBucket',
    provider: 'gcp',
    categories: ['resource'],
    idFormat: 'gcp:storage:projects/_/buckets/<bucket>',
    idPattern: /^gcp:storage:projects\/_\/buckets\/[a-z0-9._-]+$/,
    meaning: 'A Cloud Storage bucket.',
    properties: gcpResourceProps,
  }),
  kind({
    label: 'GcpBigQueryDataset',
    provider: 'gcp',
    categories: ['resource'],
    idFormat: 'gcp:bigquery:projects/<project>/datasets/<dataset>',
    idPattern: /^gcp:bigquery:projects\/[^/\s]+\/datasets\/[A-Za-z0-9_]+$/,
    meaning: 'A BigQuery dataset; its tables inherit its IAM policy.',
    properties: gcpResourceProps,
  }),
  kind({
    label: 'GcpSecret',
    provider: 'gcp',
    categories: ['resource'],
    idFormat: 'gcp:secretmanager:projects/<project>/secrets/<secret>',
    idPattern: /^gcp:secretmanager:projects\/[^/\s]+\/secrets\/[A-Za-z0-9_-]+$/,
    meaning: 'A Secret Manager secret (metadata only, never a version’s payload).',
    properties: gcpResourceProps,
  }),
  kind({
    label: 'GcpKmsKey',
    provider: 'gcp',
    categories: ['resource'],
    idFormat: 'gcp:cloudkms:projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>',
    idPattern: /^gcp:cloudkms:projects\/[^/\s]+\/locations\/[^/\s]+\/keyRings\/[^/\s]+\/cryptoKeys\/[^/\s]+$/,
    meaning: 'A Cloud KMS key; its key ring’s policy applies to it too.',
    properties: gcpResourceProps,
  }),
  kind({
    label: 'GcpPubSubTopic',
    provider: 'gcp',
    categories: ['resource'],
    idFormat: 'gcp:pubsub:projects/<project>/topics/<topic>',
    idPattern: /^gcp:pubsub:projects\/[^/\s]+\/topics\/[^/\s]+$/,
    meaning: 'A Pub/Sub topic.',
    properties: gcpResourceProps,
  }),
  kind({
    label: 'GcpSqlInstance',
    provider: 'gcp',
    categories: ['resource'],
    idFormat: 'gcp:cloudsql:projects/<project>/instances/<instance>',
    idPattern: /^gcp:cloudsql:projects\/[^/\s]+\/instances\/[^/\s]+$/,
    meaning: 'A Cloud SQL instance; it has no IAM policy of its own, so project-level bindings decide.',
    properties: gcpResourceProps,
  }),
  kind({
    label: 'K8sCluster',
    provider: 'kubernetes',
    categories: ['resource'],
    idFormat: 'k8s:<cluster>',
    idPattern: /^k8s:[^:]+$/,
    meaning: 'A Kubernetes cluster: the scope of a Kubernetes collection.',
    properties: {
      oidcIssuer: { type: 'string', description: 'The cluster’s OIDC issuer (EKS IRSA), when known.' },
      workloadPool: {
        type: 'string',
        description:
          'GKE: the workload identity pool its service accounts are subjects of (`PROJECT.svc.id.goog`), when known.',
      },
    },
  }),
  kind({
    label: 'K8sNamespace',
    provider: 'kubernetes',
    categories: ['resource'],
    idFormat: 'k8s:<cluster>:ns:<namespace>',
    idPattern: /^k8s:[^:]+:ns:[^:]+$/,
    meaning: 'A namespace.',
    properties: { ...k8sMetaProps },
  }),
  kind({
    label: 'K8sSecret',
    provider: 'kubernetes',
    categories: ['resource'],
    idFormat: 'k8s:<cluster>:<namespace>:secret:<name>',
    idPattern: /^k8s:[^:]+:[^:]+:secret:[^:]+$/,
    meaning: 'A secret (metadata only: name, type, keys; never values).',
    properties: { secretType: { type: 'string', description: 'The secret type.' } },
  }),
  kind({
    label: 'CustomResource',
    provider: 'custom',
    categories: ['resource'],
    idFormat: 'custom:<system>:<id>',
    idPattern: /^custom:[^:]+:.+$/,
    meaning: 'A resource from a system reachgraph does not collect (a vault path, an internal database).',
    properties: { system: { type: 'string', description: 'The system it comes from.' } },
  }),
] as const satisfies readonly NodeKindSpec[];

/** A declared node label: code naming a kind (an AWS service's resource kind) is checked against the list. */
export type NodeKind = (typeof NODE_KINDS)[number]['label'];

const byLabel = new Map<string, NodeKindSpec>(NODE_KINDS.map((k) => [k.label, k]));
if (byLabel.size !== NODE_KINDS.length) throw new Error('NODE_KINDS declares a label twice');

export function nodeKind(label: string): NodeKindSpec | undefined {
  return byLabel.get(label);
}

/** Every inventory node also carries this label: one index on its scope serves scoped cleanup. */
const ENTITY_LABEL = 'Entity';

/** All Neo4j labels a node of this kind carries: its own, its category labels, then Entity. */
export function labelsOf(spec: NodeKindSpec): string[] {
  return [spec.label, ...spec.categories.map((c) => NODE_CATEGORIES[c]), ENTITY_LABEL];
}

/** Every property a kind declares: common, per category, then its own. */
export function propertiesOf(spec: NodeKindSpec): PropertySpecs {
  return {
    ...COMMON_NODE_PROPERTIES,
    ...(spec.categories.includes('principal') ? PRINCIPAL_PROPERTIES : {}),
    ...(spec.categories.includes('resource') ? RESOURCE_PROPERTIES : {}),
    ...spec.properties,
  };
}
