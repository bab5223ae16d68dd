import type { AwsConfig } from '../config/aws.js';
import type { AwsSource } from './aws.js';

/** The source options `sync aws` and `analyze` share. */
export interface AwsSourceFlags {
  snapshot?: string;
  profile?: string;
  roleArn?: string[];
  region?: string;
  endpointUrl?: string;
}

/**
 * A snapshot directory, or the live API with the flags over the configuration (`aws.*`). Live
 * flags next to `--snapshot` are an error rather than silently ignored.
 */
export function awsSourceOf(flags: AwsSourceFlags, config: AwsConfig): AwsSource {
  if (flags.snapshot !== undefined) {
    const live = (['profile', 'roleArn', 'region', 'endpointUrl'] as const).filter(
      (k) => flags[k] !== undefined,
    );
    if (live.length > 0)
      throw new Error(
        `--snapshot reads a directory: ${live.map(flagName).join(', ')} only apply to live collection`,
      );
    return { snapshotDir: flags.snapshot };
  }
  const profile = flags.profile ?? config.profile;
  const region = flags.region ?? config.region;
  const endpointUrl = flags.endpointUrl ?? config.endpointUrl;
  const roleArns = flags.roleArn ?? config.roleArns;
  return {
    live: {
      ...(profile ? { profile } : {}),
      ...(region ? { region } : {}),
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
      ...(roleArns.length > 0 ? { roleArns } : {}),
    },
  };
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
