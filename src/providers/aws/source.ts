import type { AwsClassificationOptions } from '../../collectors/aws/classification.js';
import type { SnapshotSourceOptions } from '../../collectors/aws/collect.js';
import type { LiveOptions } from '../../collectors/aws/live.js';
import { type AwsConfig, CONCURRENCY } from '../../config/aws.js';
import type { SourceOption, SourceOptionValues } from '../contract.js';

/** Where the AWS data comes from: a snapshot root (`<dir>/aws/…`) or the live API. */
export type AwsSource = ({ snapshotDir: string } & SnapshotSourceOptions) | { live: LiveOptions };

/** One AWS run: its source and how its nodes are classified. */
export interface AwsRequest {
  source: AwsSource;
  classification?: AwsClassificationOptions;
}

/** The options AWS adds to `sync` and `analyze` for its live source. */
export const AWS_SOURCE_OPTIONS: readonly SourceOption[] = [
  {
    flags: '--profile <name>',
    description: 'live: named profile of the shared AWS config (default: the default chain)',
  },
  {
    flags: '--role-arn <arn...>',
    description: 'live: role to assume in each account to collect (repeatable)',
  },
  {
    flags: '--region <region>',
    description:
      'live: region for regional APIs; snapshot: region of regional files at the top of an account folder',
  },
  {
    flags: '--endpoint-url <url>',
    description: 'live: send every AWS call to this endpoint (a local stand-in)',
  },
  {
    flags: '--concurrency <n>',
    description: 'live: per-resource AWS calls in flight at once, per service and region (default 8)',
  },
];

/** The source options `sync` and `analyze` give AWS. */
export interface AwsSourceFlags {
  snapshot?: string;
  profile?: string;
  roleArn?: string[];
  region?: string;
  endpointUrl?: string;
  concurrency?: number;
}

/** AWS's flags among the parsed options of a command. */
export function awsSourceFlags(options: SourceOptionValues): Omit<AwsSourceFlags, 'snapshot'> {
  const text = (key: string) => {
    const value = options[key];
    return typeof value === 'string' ? value : undefined;
  };
  const roleArn = options.roleArn;
  const profile = text('profile');
  const region = text('region');
  const endpointUrl = text('endpointUrl');
  const concurrency = text('concurrency');
  return {
    ...(profile !== undefined ? { profile } : {}),
    ...(Array.isArray(roleArn) ? { roleArn } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    ...(concurrency !== undefined ? { concurrency: concurrencyOf(concurrency) } : {}),
  };
}

/** `--concurrency`: a whole number from 1 to 64, as `aws.concurrency`. */
export function concurrencyOf(text: string): number {
  const parsed = CONCURRENCY.safeParse(text);
  if (!parsed.success)
    throw new Error(`--concurrency takes a whole number from 1 to 64, got ${JSON.stringify(text)}`);
  return parsed.data;
}

/**
 * A snapshot directory, or the live API with the flags over the configuration (`aws.*`). Live
 * flags next to `--snapshot` are an error rather than silently ignored; `--region` means, for a
 * snapshot, the region of regional files at the top of an account folder.
 */
export function awsSourceOf(flags: AwsSourceFlags, config: AwsConfig): AwsSource {
  if (flags.snapshot !== undefined) {
    const live = (['profile', 'roleArn', 'endpointUrl', 'concurrency'] as const).filter(
      (k) => flags[k] !== undefined,
    );
    if (live.length > 0)
      throw new Error(
        `--snapshot reads a directory: ${live.map(flagName).join(', ')} only apply to live collection`,
      );
    return snapshotSource(flags.snapshot, config, flags.region);
  }
  const profile = flags.profile ?? config.profile;
  const region = flags.region ?? config.region;
  const endpointUrl = flags.endpointUrl ?? config.endpointUrl;
  const roleArns = flags.roleArn ?? config.roleArns;
  const concurrency = flags.concurrency ?? config.concurrency;
  return {
    live: {
      ...(profile ? { profile } : {}),
      ...(region ? { region } : {}),
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
      ...(roleArns.length > 0 ? { roleArns } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
    },
  };
}

/** A snapshot source with the configuration's home region and file size limit. */
export function snapshotSource(snapshotDir: string, config: AwsConfig, region?: string): AwsSource {
  return {
    snapshotDir,
    ...(region !== undefined ? { region } : {}),
    ...(config.region !== undefined ? { homeRegion: config.region } : {}),
    ...(config.snapshotMaxFileBytes !== undefined ? { maxFileBytes: config.snapshotMaxFileBytes } : {}),
  };
}

export function describeAwsSource(source: AwsSource): string {
  return 'snapshotDir' in source ? `aws snapshot ${source.snapshotDir}` : 'aws live';
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
