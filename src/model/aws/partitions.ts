/**
 * AWS partitions: the one home of what tells them apart. An account, its ARNs and its regions
 * belong to exactly one partition, and trust never crosses partitions
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html,
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
 * Region patterns and DNS suffixes as the AWS SDKs' partition table (`partitions.json`) gives them.
 */

export interface AwsPartition {
  /** The ARN's second field: `aws`, `aws-cn`, `aws-us-gov`… */
  id: string;
  /** The endpoint DNS suffix (`amazonaws.com`, `amazonaws.com.cn`, `c2s.ic.gov`…). */
  dnsSuffix: string;
  /** Region names of the partition. */
  regions: RegExp;
  /** The region global services (IAM, STS, Organizations) are reached in. */
  homeRegion: string;
}

export const AWS_PARTITIONS: readonly AwsPartition[] = [
  {
    id: 'aws',
    dnsSuffix: 'amazonaws.com',
    regions: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    homeRegion: 'us-east-1',
  },
  { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', regions: /^cn-\w+-\d+$/, homeRegion: 'cn-northwest-1' },
  { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com', regions: /^us-gov-\w+-\d+$/, homeRegion: 'us-gov-west-1' },
  { id: 'aws-iso', dnsSuffix: 'c2s.ic.gov', regions: /^us-iso-\w+-\d+$/, homeRegion: 'us-iso-east-1' },
  { id: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov', regions: /^us-isob-\w+-\d+$/, homeRegion: 'us-isob-east-1' },
  {
    id: 'aws-iso-e',
    dnsSuffix: 'cloud.adc-e.uk',
    regions: /^eu-isoe-\w+-\d+$/,
    homeRegion: 'eu-isoe-west-1',
  },
  {
    id: 'aws-iso-f',
    dnsSuffix: 'csp.hci.ic.gov',
    regions: /^us-isof-\w+-\d+$/,
    homeRegion: 'us-isof-south-1',
  },
  { id: 'aws-eusc', dnsSuffix: 'amazonaws.eu', regions: /^eusc-de-\w+-\d+$/, homeRegion: 'eusc-de-east-1' },
];

/** The commercial partition: what a bare account id means when nothing says otherwise. */
export const DEFAULT_PARTITION = 'aws';

/**
 * A partition name, as a regular-expression source for ARN patterns (`arn:${PARTITION}:iam::…`):
 * any `aws` or `aws-…` name, not only those listed above, since AWS adds partitions (aws-eusc is
 * recent) and an id in one this table does not know yet must still load.
 */
export const PARTITION = 'aws(?:-[a-z0-9]+)*';
const PARTITION_NAME = new RegExp(`^${PARTITION}$`);

const byId = new Map(AWS_PARTITIONS.map((p) => [p.id, p]));

/** The partition of an ARN (its second field), when it is shaped like one. */
export function partitionOfArn(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const id = arn.slice(4, arn.indexOf(':', 4));
  return PARTITION_NAME.test(id) ? id : undefined;
}

/** The partition a region belongs to (`us-gov-west-1` → `aws-us-gov`). */
export function partitionOfRegion(region: string): string | undefined {
  return AWS_PARTITIONS.find((p) => p.regions.test(region))?.id;
}

/** The region IAM and STS are reached in for a partition. */
export function homeRegion(partition: string): string {
  return (byId.get(partition) ?? (byId.get(DEFAULT_PARTITION) as AwsPartition)).homeRegion;
}

/** Every DNS suffix a service principal may end with, longest first (`amazonaws.com.cn` before `amazonaws.com`). */
const SERVICE_SUFFIXES = [...new Set(AWS_PARTITIONS.map((p) => `.${p.dnsSuffix}`))].sort(
  (a, b) => b.length - a.length,
);

/**
 * The service a service principal names, whatever its partition's suffix: `ec2.amazonaws.com` and
 * `ec2.amazonaws.com.cn` (China) are both `ec2`; lowercase. Some services in the China regions
 * use the `.amazonaws.com.cn` form, others the global one
 * (https://docs.amazonaws.cn/en_us/aws/latest/userguide/iam.html), so trust policies are matched on
 * the service, not on the suffix.
 */
export function serviceOfPrincipal(principal: string): string {
  const lower = principal.toLowerCase();
  const suffix = SERVICE_SUFFIXES.find((s) => lower.endsWith(s));
  return suffix ? lower.slice(0, -suffix.length) : lower;
}

/** Do two service principals name the same service? */
export const sameService = (a: string, b: string): boolean => serviceOfPrincipal(a) === serviceOfPrincipal(b);

/**
 * The names a service principal may go by in a partition, the global form first: in a partition
 * with its own DNS suffix (China, the isolated regions) a service is named either way, e.g. in
 * `iam:PassedToService`.
 */
export function serviceNames(service: string, partition: string): string[] {
  const own = byId.get(partition)?.dnsSuffix;
  const name = serviceOfPrincipal(service);
  if (own === undefined || own === 'amazonaws.com' || name === service.toLowerCase()) return [service];
  return [`${name}.amazonaws.com`, `${name}.${own}`];
}
