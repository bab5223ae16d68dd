import { type AttackTechnique, attackUrl } from './attack.js';
import { ACCESS_LEVELS, type PropertySpecs } from './properties.js';

export const RELATIONSHIP_CATEGORIES = ['hop', 'terminal', 'structural', 'summary'] as const;
export type RelationshipCategory = (typeof RELATIONSHIP_CATEGORIES)[number];

/** Hop and terminal edges are derived: each must carry evidence. */
export const RELATIONSHIP_CATEGORY_MEANINGS: Record<RelationshipCategory, string> = {
  hop: 'Principal → principal; path queries traverse these.',
  terminal: 'Principal → resource; a path ends with one.',
  structural: 'Containment, membership, attachment; for explanation and scoping, never traversed by paths.',
  // src/reachability/compute.ts computes them.
  summary:
    'Computed in the graph from hop and terminal edges after a load; never part of an Inventory, never traversed by paths, and without evidence of its own (the edges it summarizes carry it).',
};

export interface Reference {
  title: string;
  url: string;
}

/**
 * What an edge means to the people reading a path, after BloodHound's per-edge help: docs/edges.md,
 * the API (`Edge.kind.help`) and the HTML report all show this text.
 */
export interface RelationshipHelp {
  /** What the edge says about the two nodes, provider by provider. */
  general: string;
  /** How an attacker who holds the source uses the edge. */
  abuse: string;
  /** How to remove the edge (or narrow it). */
  remediation: string;
  /** The providers' documentation behind the semantics; the ATT&CK page is added from `attack`. */
  references: readonly Reference[];
}

export interface RelationshipKindSpec {
  type: string;
  category: RelationshipCategory;
  /** Labels (kind or category labels) the source node must carry one of; `*` for any. */
  from: readonly string[];
  to: readonly string[];
  meaning: string;
  /**
   * The MITRE ATT&CK technique an attacker uses when following the edge, where one fits. Edge families
   * and every generated document read it from here; a CAN_ESCALATE edge also names its own technique's.
   */
  attack?: AttackTechnique;
  /** Required for derived (hop and terminal) kinds: they are what paths are made of. */
  help?: RelationshipHelp;
  properties: PropertySpecs;
}

/**
 * Properties every derived (hop or terminal) edge carries; the loader fills them from the evidence.
 * Its one-line reason is not stored: readers derive it from the evidence (`evidenceReason`,
 * model/validate.ts), as they do the documents' ids (each record's `ref`).
 */
export const DERIVED_EDGE_PROPERTIES: PropertySpecs = {
  evidence: { type: 'string', description: 'The evidence records, JSON array.', required: true },
  conditional: {
    type: 'boolean',
    description:
      'True when the edge holds only under conditions that cannot be decided offline (source IP, MFA, time…).',
  },
  conditions: { type: 'string[]', description: 'The undecided condition keys.' },
};

function rel(spec: RelationshipKindSpec): RelationshipKindSpec {
  return spec;
}

/**
 * ATT&CK ids, chosen from MITRE's definitions:
 * - T1548.005 for CAN_ASSUME and CAN_IMPERSONATE: "abuse permission configurations that allow them to
 *   gain temporarily elevated access to cloud resources … request just-in-time access to roles,
 *   impersonate other accounts … or otherwise gain short-term access to a set of privileges that may be
 *   distinct from their own" (https://attack.mitre.org/techniques/T1548/005/; its detection strategy
 *   DET0393 watches AssumeRole and GCP serviceAccountTokenCreator). The edge is exactly such a permission
 *   configuration. T1550.001 is the use of *stolen* tokens, T1134 manipulates Windows access tokens.
 * - T1550.001 for FEDERATES_TO: the source never holds cloud credentials; it presents a token issued by
 *   its identity provider (an OIDC ID token, a SAML assertion) as "alternate authentication material"
 *   to get the role's (https://attack.mitre.org/techniques/T1550/001/).
 * - T1552.005 for RUNS_AS: code in the workload reads the identity's credentials from the instance
 *   metadata or container credentials endpoint (https://attack.mitre.org/techniques/T1552/005/).
 * - T1098 for CAN_ESCALATE: most techniques modify policies or credentials of an account
 *   (https://attack.mitre.org/techniques/T1098/); each edge also carries its own technique's id.
 * - T1530 for CAN_ACCESS: reading data from cloud storage objects, secrets and keys with the granted
 *   actions (https://attack.mitre.org/techniques/T1530/).
 * - T1078.004 for ADMINISTERS: holding a cloud account with full control
 *   (https://attack.mitre.org/techniques/T1078/004/).
 */
const TEMPORARY_ELEVATED_CLOUD_ACCESS: AttackTechnique = {
  id: 'T1548.005',
  name: 'Abuse Elevation Control Mechanism: Temporary Elevated Cloud Access',
};

const HOPS = [
  rel({
    type: 'CAN_ASSUME',
    category: 'hop',
    from: ['Principal'],
    to: ['AwsRole', 'Public'],
    meaning:
      'The source can obtain the role’s credentials (sts:AssumeRole*): both its trust policy and the caller’s permissions allow it. Into a Public node standing for roles that trust any AWS principal: the source can assume each role that node leads to.',
    attack: TEMPORARY_ELEVATED_CLOUD_ACCESS,
    help: {
      general:
        'The source can call sts:AssumeRole on the role and receive temporary credentials with the role’s permissions. AWS checks both sides: the role’s trust policy must admit the caller, and when the caller is in another account or the trust names only the caller’s account (its root), the caller’s identity policies must allow sts:AssumeRole on the role too.',
      abuse:
        'With the source’s credentials, call `aws sts assume-role --role-arn <role> --role-session-name <any>` and use the returned access key, secret key and session token; from the role, follow its own CAN_ASSUME edges. The session stays valid until it expires (up to the role’s maximum session duration), even if the source loses the permission meanwhile, unless the role’s sessions are revoked.',
      remediation:
        'Narrow the trust policy to the principals that need the role (their ARNs rather than an account root), require sts:ExternalId for third parties and aws:PrincipalOrgID or MFA where they fit, and remove sts:AssumeRole on `*` from identity policies. Revoke the role’s active sessions to end credentials already issued.',
      references: [
        {
          title: 'AWS: Granting a user permissions to switch roles',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html',
        },
        {
          title: 'AWS: Cross-account policy evaluation logic',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html',
        },
        {
          title: 'AWS: Access to AWS accounts owned by third parties (external id)',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html',
        },
        {
          title: 'AWS: The confused deputy problem',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
        },
        {
          title: 'AWS: Revoking IAM role temporary security credentials',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html',
        },
      ],
    },
    properties: {},
  }),
  rel({
    type: 'CAN_IMPERSONATE',
    category: 'hop',
    from: ['Principal'],
    to: ['Principal'],
    meaning:
      'The source can act as the target: GCP iam.serviceAccounts.getAccessToken/signJwt/actAs, Kubernetes impersonate.',
    attack: TEMPORARY_ELEVATED_CLOUD_ACCESS,
    help: {
      general:
        'The source can act with the target’s identity. In GCP it holds iam.serviceAccounts.getAccessToken, signJwt, signBlob or actAs on the service account (roles/iam.serviceAccountTokenCreator, roles/iam.serviceAccountUser), granted on the account or inherited from its project, folder or organization. In Kubernetes it holds the `impersonate` verb on the target user, group or service account.',
      abuse:
        'GCP: run `gcloud … --impersonate-service-account=<email>` or call generateAccessToken to mint a short-lived token of the service account. Kubernetes: `kubectl --as=<user> --as-group=<group>` sends impersonation headers and the API server authorizes the request as the target.',
      remediation:
        'GCP: grant the token-creator and service-account-user roles on single service accounts to the principals that need them, never on projects or folders. Kubernetes: remove `impersonate` from Roles and ClusterRoles, or limit it with `resourceNames` to named identities.',
      references: [
        {
          title: 'Google Cloud: Service account impersonation',
          url: 'https://cloud.google.com/iam/docs/service-account-impersonation',
        },
        {
          title: 'Google Cloud: Roles for service account authentication',
          url: 'https://cloud.google.com/iam/docs/service-account-permissions',
        },
        {
          title: 'Kubernetes: User impersonation',
          url: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation',
        },
      ],
    },
    properties: {},
  }),
  rel({
    type: 'FEDERATES_TO',
    category: 'hop',
    from: ['Principal'],
    to: ['Principal'],
    meaning:
      'A federated identity (OIDC/SAML subject, IRSA, GKE Workload Identity) is admitted by the target’s trust side.',
    attack: { id: 'T1550.001', name: 'Use Alternate Authentication Material: Application Access Token' },
    help: {
      general:
        'An identity from outside the account (an OIDC subject such as a GitHub Actions repository, branch or environment, an EKS service account through IRSA, any OIDC issuer’s subject, or the users of a SAML provider) can exchange a token from its identity provider for the target’s credentials (sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML), because the target’s trust policy admits the provider and the token’s claims.',
      abuse:
        'Whoever can obtain an admitted token gets the role: for GitHub Actions, anyone who can run a workflow in an admitted repository, branch or environment (including pull requests when the trust admits them). The workflow requests an ID token and calls sts:AssumeRoleWithWebIdentity. A trust that checks no `sub`, or matches it with a wildcard, admits every repository or service account that matches.',
      remediation:
        'Pin the trust to exact subjects (`token.actions.githubusercontent.com:sub` equal to `repo:<org>/<repo>:environment:<name>` or a protected branch; `system:serviceaccount:<namespace>:<name>` for IRSA), always check `aud`, and protect the branches and environments the trust names.',
      references: [
        {
          title: 'AWS: Creating a role for web identity or OIDC federation',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html',
        },
        {
          title: 'AWS: Available keys for AWS web identity federation',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif',
        },
        {
          title: 'GitHub: Configuring OpenID Connect in Amazon Web Services',
          url: 'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
        },
        {
          title: 'AWS: IAM roles for service accounts (EKS)',
          url: 'https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html',
        },
        {
          title: 'Google Cloud: Workload Identity Federation',
          url: 'https://cloud.google.com/iam/docs/workload-identity-federation',
        },
      ],
    },
    properties: {
      subjectPattern: {
        type: 'string',
        description:
          'For a Kubernetes service account federating through IRSA or Workload Identity: the wildcard subject pattern of the trust that admits it, when the trust is not pinned to the exact account.',
      },
    },
  }),
  rel({
    type: 'RUNS_AS',
    category: 'hop',
    from: ['Workload'],
    to: ['Principal'],
    meaning:
      'A workload runs with the target identity’s credentials (pod service account, instance profile role).',
    attack: { id: 'T1552.005', name: 'Unsecured Credentials: Cloud Instance Metadata API' },
    help: {
      general:
        'A workload (Lambda function, EC2 instance, ECS task, CodeBuild project, pod…) is configured to run as the target identity, and the identity’s trust side admits the service that runs it: code inside the workload holds the identity’s credentials.',
      abuse:
        'Whoever can run code in the workload (update a Lambda function’s code, send a command to or log in to an instance, change a build specification, exec into a pod) reads the credentials: from the instance metadata service on EC2, the environment of a Lambda function, the ECS container credentials endpoint, or the service-account token mounted in a pod.',
      remediation:
        'Give each workload its own least-privilege identity; restrict who can change the workload’s code or configuration (lambda:UpdateFunctionCode, ssm:SendCommand, `pods/exec`); require IMDSv2 on instances; turn off automountServiceAccountToken for pods that do not call the Kubernetes API.',
      references: [
        {
          title: 'AWS: Using an IAM role to grant permissions to applications on EC2',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html',
        },
        {
          title: 'AWS: Lambda execution role',
          url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
        },
        {
          title: 'AWS: Configure the instance metadata service (IMDSv2)',
          url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html',
        },
        {
          title: 'Kubernetes: Service accounts',
          url: 'https://kubernetes.io/docs/concepts/security/service-accounts/',
        },
      ],
    },
    properties: {},
  }),
  rel({
    type: 'CAN_ESCALATE',
    category: 'hop',
    from: ['Principal'],
    to: ['Principal', 'AwsAccount', 'K8sCluster', 'GcpProject', 'GcpFolder', 'GcpOrganization'],
    meaning:
      'The source can gain the target’s privileges through a privilege-escalation technique; an edge to an AwsAccount is self-escalation: the source can make itself administrator of that account.',
    attack: { id: 'T1098', name: 'Account Manipulation' },
    help: {
      general:
        'The source holds the permissions of a privilege-escalation technique that gives it the target’s privileges: creating credentials for the target, changing the target’s policies or trust, or passing the target role to a service and running code there. An edge to an account means the source can make itself administrator of it. The edge’s `technique` names the technique (docs/aws-escalation.md describes each) and `requires` lists what else must exist that the collected data did not show.',
      abuse:
        'Follow the technique: for example iam:CreatePolicyVersion on a policy attached to the source sets a new default version that allows everything; iam:CreateAccessKey on a user yields that user’s long-term key; iam:PassRole with lambda:CreateFunction and lambda:InvokeFunction runs code with the passed role’s credentials.',
      remediation:
        'Remove the permissions the technique needs from the source (the evidence names the statements that grant them) or constrain them: limit iam:PassRole to named roles and services (iam:PassedToService), keep IAM write actions behind a permissions boundary or an SCP, and let roles trust only the services that need them.',
      references: [
        { title: 'pathfinding.cloud: AWS privilege escalation paths', url: 'https://pathfinding.cloud' },
        {
          title: 'Rhino Security Labs: AWS privilege escalation methods',
          url: 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
        },
        {
          title: 'AWS: Granting a user permissions to pass a role to an AWS service',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
        },
        {
          title: 'AWS: Permissions boundaries for IAM entities',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
        },
      ],
    },
    properties: {
      technique: {
        type: 'string',
        description:
          'The technique id from docs/aws-escalation.md, docs/kubernetes.md or docs/gcp-escalation.md, e.g. iam-passrole-lambda-createfunction.',
        required: true,
      },
      attack: { type: 'string', description: 'The MITRE ATT&CK technique id, e.g. T1098.003.' },
      techniques: {
        type: 'string[]',
        description:
          'Every technique that gives the source the target, when more than one does (GCP); `technique` is the first, one decided without conditions when there is one.',
      },
      self: { type: 'boolean', description: 'True when the source escalates its own privileges.' },
      chain: {
        type: 'string[]',
        description:
          'The further techniques, in order, of a multi-step escalation: the state `technique` leads to enables the next (e.g. joining a group that may attach policies to its members, then attaching AdministratorAccess).',
      },
      requires: {
        type: 'string[]',
        description:
          'What else must exist for the technique to work that the collected data cannot tell about (e.g. an EC2 instance running as the role, when instances were not collected): the edge holds only if it exists, so it is conditional on the pseudo key `reachgraph:PrerequisiteExists` and listed apart with conditional edges. A prerequisite the collection shows absent is no `requires`: the edge exists only when the source can also create it, and creating it is in the evidence.',
      },
    },
  }),
] as const satisfies readonly RelationshipKindSpec[];

/** The hop types, in declaration order: the reachability summary encodes a hop type by its index here. */
export const HOP_TYPES = HOPS.map((r) => r.type);

/** `1 list, 2 read, …`: bit i of a level mask is ACCESS_LEVELS[i] (src/reachability/codes.ts). */
const LEVEL_BITS = ACCESS_LEVELS.map((level, bit) => `${2 ** bit} ${level}`).join(', ');
/** `1 CAN_ASSUME, 2 …`: a hop type's digit is its index in HOP_TYPES plus one, so 0 is the empty route. */
const HOP_DIGITS = HOP_TYPES.map((type, index) => `${index + 1} ${type}`).join(', ');

export const RELATIONSHIP_KINDS = [
  // ── Hops ────────────────────────────────────────────────────────────────────────────────────
  ...HOPS,

  // ── Terminal ────────────────────────────────────────────────────────────────────────────────
  rel({
    type: 'CAN_ACCESS',
    category: 'terminal',
    from: ['Principal'],
    to: ['Resource'],
    meaning: 'The source can perform actions on the resource, at the given access levels.',
    attack: { id: 'T1530', name: 'Data from Cloud Storage' },
    help: {
      general: `The source can perform actions on the resource. \`levels\` sums them up as the access levels of the provider’s action catalogue (${ACCESS_LEVELS.join(', ')}; for AWS, \`read\` is reading the content, and the catalogue's Read actions that return configuration count as \`list\`; read, write and permissions reach the data) and \`actions\` lists them. Every policy layer the provider applies was evaluated: for AWS the identity policies (with groups), the resource policy, the permissions boundary, SCPs and RCPs.`,
      abuse:
        'Use the actions with the source’s credentials: list and read objects, decrypt with the key, get the secret’s value, write or delete data. The `permissions` level lets the source change the resource’s policy and grant itself, or anyone, more.',
      remediation:
        'Remove or narrow the statements the evidence names (identity or resource policy): name exact resource ARNs and actions instead of wildcards, add conditions, and keep private data private with aws:PrincipalOrgID in resource policies or a resource control policy.',
      references: [
        {
          title: 'AWS: Policy evaluation logic',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
        },
        {
          title: 'AWS: Service Authorization Reference (actions, resource types, access levels)',
          url: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference.html',
        },
        {
          title: 'AWS: Resource control policies (RCPs)',
          url: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html',
        },
      ],
    },
    properties: {
      levels: {
        type: 'string[]',
        description: 'Access levels granted.',
        values: ACCESS_LEVELS,
        required: true,
      },
      actions: { type: 'string[]', description: 'The allowed actions (or permissions/verbs).' },
      via: {
        type: 'string[]',
        description:
          'Escalation techniques (CAN_ESCALATE `technique` ids, in order) through which the source gains some of these levels: the state after them allows what the source did not have; the evidence names the steps and which levels they give.',
      },
    },
  }),

  rel({
    type: 'ADMINISTERS',
    category: 'terminal',
    from: ['Principal'],
    to: ['AwsAccount', 'GcpOrganization', 'GcpFolder', 'GcpProject', 'K8sCluster', 'K8sNamespace'],
    meaning:
      'The source’s effective permissions amount to full control of the scope (e.g. Allow * on * with nothing restricting it).',
    attack: { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts' },
    help: {
      general:
        'The source’s effective permissions amount to full control of the scope: for an AWS account, an identity policy allows every action on every resource and no deny, permissions boundary or SCP takes back any of the key actions (IAM writes, passing and assuming roles, reading data, running code). Escalation paths end here.',
      abuse:
        'With the source’s credentials an attacker can do anything in the scope: create users and keys to stay, read any data, turn off logging, and assume every role that trusts the account.',
      remediation:
        'Keep full control to a few break-glass roles that require MFA and are reached through the identity provider; replace AdministratorAccess on users and workloads with least-privilege policies (IAM Access Analyzer generates them from CloudTrail activity), and guard what remains with permissions boundaries or SCPs.',
      references: [
        {
          title: 'AWS managed policy AdministratorAccess',
          url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html',
        },
        {
          title: 'AWS: Security best practices in IAM',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
        },
        {
          title: 'AWS: IAM Access Analyzer policy generation',
          url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html',
        },
      ],
    },
    properties: {},
  }),

  // ── Summary ─────────────────────────────────────────────────────────────────────────────────
  rel({
    type: 'REACHES',
    category: 'summary',
    from: ['Principal', 'Grant'],
    to: ['Resource'],
    meaning:
      "Reachability summary, recomputed after every load: the source reaches the resource through at most `maxHops` hop edges and one CAN_ACCESS edge. Describes the answer's routes: those that reach the data (a CAN_ACCESS granting read, write or permissions) when there is one, else every route (list or tagging only); expand it into the full explained path with a path query. From a Grant (a CAN_ACCESS hub): what every member reaches through that hub alone, stored once for the principals that delegate to it (REACHES_AS, via digit 0); answers never show a Grant.",
    properties: {
      hops: {
        type: 'integer',
        description:
          "Fewest hop edges before the final CAN_ACCESS on the answer's routes (0: the source accesses the resource directly): on routes to the data when there is one, even if a route to metadata only is shorter.",
        required: true,
      },
      minHops: {
        type: 'integer',
        description:
          'Fewest hop edges before the final CAN_ACCESS on any route, to the data or not (at most `hops`); a question with a smaller hop bound is answered by the pair search when it lies below `hops`.',
        required: true,
      },
      levelMask: {
        type: 'integer',
        description: `Union of the levels of the CAN_ACCESS edges that end the answer's routes with \`hops\` hop edges, as bits: ${LEVEL_BITS}.`,
        required: true,
      },
      allLevelMask: {
        type: 'integer',
        description:
          'Union of the levels over every route within `maxHops`, shortest or not (what the source can get on the resource at all), as bits like `levelMask`. Ask who can write with `allLevelMask IN [4, 5, 6, 7, …]` (every mask with bit 4), as the API does.',
        required: true,
      },
      firstHop: {
        type: 'string',
        description:
          "Id of the node the first hop of the route rule's route enters (src/answers/route-rule.ts); the resource itself for direct access. An unconditional route is chosen when there is one.",
        required: true,
      },
      viaCode: {
        type: 'integer',
        description: `Hop relationship types of that route, in order, as base-8 digits (first hop most significant; ${HOP_DIGITS}); 0 for direct access. The final CAN_ACCESS is implied.`,
        required: true,
      },
      conditional: {
        type: 'boolean',
        description:
          "True when every one of the answer's routes with `hops` hop edges has a conditional edge (hop or CAN_ACCESS); a longer unconditional route does not make it false.",
        required: true,
      },
      maxHops: { type: 'integer', description: 'The hop bound the summary was computed with.' },
      digest: {
        type: 'integer',
        description:
          'Checksum of the properties above, so a recomputation rewrites only the rows that changed and leaves the others untouched. Rows carry firstSeen (when the pair was first found) but no lastSeen or run id: every row belongs to the last successful computation, which deletes the rows it did not confirm.',
      },
    },
  }),

  rel({
    type: 'REACHES_AS',
    category: 'summary',
    from: ['Principal'],
    to: ['Principal', 'Grant'],
    meaning:
      "Reachability summary, stored once instead of one REACHES row per resource: for every resource the source has no REACHES row of its own into, its answer is the target's answer, one hop longer (this edge first); the source's own rows are the exceptions, where its answer differs (a shorter route through another way out, other levels, a resource the target does not reach). The target's answer is its own REACHES row or, if it delegates too, its target's (chains of at most four: a DaemonSet pod to its node, the node to the account of the DaemonSet every node runs). With viaDigit 0 the source's answers are the target's as they are, not one hop longer (the same rows: principals holding one right to the same targets, as the accounts that may create privileged pods on every node, take the rows of the one whose rows stand for that right's; principals holding one CAN_ACCESS right to a set of resources, as every role whose policy grants s3:* on every bucket, take the rows stored on that right's Grant hub, conditional when their side of the grant is, and may take the rows of several such hubs, when no two of them reach one resource). Written only where the computation checked, row by row, that the expansion gives back the source's rows and that the target reaches nothing the source does not, and only where it stands for most of them. Every reader expands it through one Cypher fragment (cypher/reachability/summary-rows.cypher), so answers are the same as with the rows written out.",
    properties: {
      viaDigit: {
        type: 'integer',
        description: `The hop type of this first hop as a base-8 digit (${HOP_DIGITS}): the expanded row's viaCode is this digit before the target row's. 0: the same rows, no hop added (hops, first hop and viaCode are the target row's).`,
        required: true,
      },
      conditional: {
        type: 'boolean',
        description:
          "The first hop is conditional: the expanded rows are conditional whatever the target's are.",
        required: true,
      },
      maxHops: { type: 'integer', description: 'The hop bound the summary was computed with.' },
      digest: {
        type: 'integer',
        description:
          'Checksum of the target and the properties above, so a recomputation rewrites only what changed.',
      },
    },
  }),

  // ── Structural ──────────────────────────────────────────────────────────────────────────────
  rel({
    type: 'MEMBER_OF',
    category: 'structural',
    from: ['Principal'],
    to: ['AwsGroup', 'GcpGroup', 'K8sGroup'],
    meaning: 'Group membership.',
    properties: {},
  }),
  rel({
    type: 'HAS_POLICY',
    category: 'structural',
    from: ['Principal', 'AwsGroup', 'Resource'],
    to: ['AwsPolicy'],
    meaning: 'A policy is attached to (or inline in, or the permissions boundary of) the source.',
    properties: {
      attachments: {
        type: 'string[]',
        description:
          'How the policy applies to the source; one policy can be both attached and the permissions boundary.',
        values: ['managed', 'inline', 'permissions-boundary', 'resource', 'scp', 'rcp'],
      },
    },
  }),
  rel({
    type: 'BOUND_TO',
    category: 'structural',
    from: ['*'],
    to: ['PermissionContainer'],
    meaning:
      'An RBAC or IAM binding grants a role: subject → binding → role, or a principal straight to a GCP role on a resource.',
    properties: {
      on: {
        type: 'string',
        description: 'The resource the binding applies to, when it is not the scope itself.',
      },
    },
  }),
  rel({
    type: 'HAS_CREDENTIAL',
    category: 'structural',
    from: ['Principal'],
    to: ['Credential'],
    meaning: 'The principal owns the credential.',
    properties: {},
  }),
  rel({
    type: 'CONTAINS',
    category: 'structural',
    from: ['Resource'],
    to: ['*'],
    meaning: 'Containment: an account contains its roles and buckets, a namespace its pods.',
    properties: {},
  }),
  rel({
    type: 'CHILD_OF',
    category: 'structural',
    from: ['Resource'],
    to: ['Resource'],
    meaning: 'Hierarchy: project → folder → organization, account → organization.',
    properties: {},
  }),
  rel({
    type: 'HAS_FLAG',
    category: 'structural',
    from: ['*'],
    to: ['AnalysisFlag'],
    meaning:
      'An analyzer flagged the source node; the AnalysisFlag holds the rule, severity, message and evidence. Report rules read flags as `(s)-[:HAS_FLAG]->(f:AnalysisFlag {rule: $flagRule})`.',
    properties: {},
  }),
] as const satisfies readonly RelationshipKindSpec[];

const byType = new Map<string, RelationshipKindSpec>(RELATIONSHIP_KINDS.map((r) => [r.type, r]));
if (byType.size !== RELATIONSHIP_KINDS.length) throw new Error('RELATIONSHIP_KINDS declares a type twice');

export function relationshipKind(type: string): RelationshipKindSpec | undefined {
  return byType.get(type);
}

/** Hop and terminal edges: derived by analyzers, each with evidence. */
export function isDerived(spec: RelationshipKindSpec): boolean {
  return spec.category === 'hop' || spec.category === 'terminal';
}

/** Whether an Inventory may carry the kind (summary kinds are computed in the graph, not loaded). */
export function isLoadable(spec: RelationshipKindSpec): boolean {
  return spec.category !== 'summary';
}

/** The ATT&CK page first, then the provider documentation: every reference the help of a kind shows. */
export function helpReferences(spec: RelationshipKindSpec): Reference[] {
  const attack = spec.attack
    ? [{ title: `MITRE ATT&CK ${spec.attack.id}: ${spec.attack.name}`, url: attackUrl(spec.attack.id) }]
    : [];
  return [...attack, ...(spec.help?.references ?? [])];
}
