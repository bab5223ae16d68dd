/**
 * The pathfinding.cloud catalogue (https://github.com/DataDog/pathfinding.cloud, `data/paths`),
 * as read on the date below: every path id, and the ones reachgraph covers by another edge
 * family than CAN_ESCALATE. A unit test maps each id to a technique (its `id` or an alias) or to
 * an exclusion here, so a catalogue update shows up as a failing test once the list is refreshed.
 *
 * The repository holds the paths in two layouts, `data/paths/<service>/<id>.yaml` and
 * `data/paths/aws/<service>/<id>.yaml`; the catalogue is their union (some ids exist in one only).
 */
export const PATHFINDING_CATALOGUE = {
  repository: 'DataDog/pathfinding.cloud',
  readOn: '2026-11-24',
  /** The file versions read (newest commit seen per layout). */
  commits: {
    'data/paths/aws': [
      'a89d537a42a9cd7c8481247cf3468a2addd8ad77',
      'ecc3d092e7e409497474c8d39eb92f61810d815f',
    ],
    'data/paths': ['49cd740beb97087a2ebda30b8d76ad9f39c7666c', '973336c92f10a154404a9ca34a2a7c05da17935e'],
  },
} as const;

const range = (service: string, last: number) =>
  Array.from({ length: last }, (_, i) => `${service}-${String(i + 1).padStart(3, '0')}`);

/** Every path id of the catalogue. */
export const CATALOGUE_IDS: readonly string[] = [
  ...range('apprunner', 2),
  ...range('batch', 3),
  ...range('bedrock', 7),
  ...range('braket', 1),
  ...range('cloudformation', 5),
  ...range('codebuild', 4),
  ...range('codedeploy', 1),
  ...range('cognitoidentity', 1),
  ...range('datapipeline', 1),
  ...range('ec2', 5),
  ...range('ecs', 9),
  ...range('emr', 1),
  ...range('emrserverless', 1),
  ...range('gamelift', 1),
  ...range('glue', 7),
  ...range('iam', 26),
  ...range('imagebuilder', 1),
  ...range('kinesisanalytics', 1),
  ...range('lambda', 6),
  ...range('omics', 1),
  ...range('sagemaker', 5),
  ...range('ssm', 3),
  ...range('sts', 4),
];

/**
 * Catalogue paths that are not CAN_ESCALATE techniques, and why. `sts:AssumeRole` (same account,
 * across accounts, or on a role trusting `*`) is what the CAN_ASSUME family derives: both sides of
 * the trust are evaluated there, so an escalation edge would only duplicate it. sts-004
 * (iam:UpdateAssumeRolePolicy) is an alias of iam-012.
 */
export const CATALOGUE_EXCLUSIONS: Readonly<Record<string, string>> = {
  'sts-001': 'sts:AssumeRole on a role that trusts the principal: a CAN_ASSUME edge',
  'sts-002': 'sts:AssumeRole across accounts without sts:ExternalId: a CAN_ASSUME edge',
  'sts-003': 'sts:AssumeRole on a role whose trust policy names any AWS principal (`*`): a CAN_ASSUME edge',
};

/** Catalogue order: IAM paths first, then every id in code-unit order (`ec2-004` before `ec2instanceconnect-…`). */
export function compareCatalogueIds(a: string, b: string): number {
  const iam = Number(b.startsWith('iam-')) - Number(a.startsWith('iam-'));
  return iam || (a < b ? -1 : a > b ? 1 : 0);
}
