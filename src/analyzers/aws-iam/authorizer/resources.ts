import type { AwsEnvironment, AwsResourceData, AwsResourceType } from '../../../model/aws/environment.js';
import { pushAt } from '../../../util/collections.js';
import { arnMatches } from '../engine/index.js';

/**
 * The collected resources indexed three ways: by exact ARN, by type, and by ARN service (the bucket
 * an ARN pattern falls in), so that "which resources does this Resource pattern name" looks at one
 * map entry for an exact ARN and at one service's resources for a wildcard pattern, never at all
 * resources of the environment.
 */
export class ResourceIndex {
  private readonly byArn = new Map<string, AwsResourceData>();
  private readonly byType = new Map<AwsResourceType, AwsResourceData[]>();
  private readonly byService = new Map<string, AwsResourceData[]>();
  private readonly all: AwsResourceData[] = [];
  /** `owner` answers by ARN (object and sub-resource ARNs are asked about again and again). */
  private readonly owners = new Map<string, AwsResourceData | null>();
  /** `matching` answers by pattern and type: policies repeat the same patterns across principals. */
  private readonly matches = new Map<string, AwsResourceData[]>();

  constructor(env: AwsEnvironment) {
    for (const account of env.accounts)
      for (const resource of account.resources) {
        if (this.byArn.has(resource.arn)) continue;
        this.byArn.set(resource.arn, resource);
        this.all.push(resource);
        pushAt(this.byType, resource.type, resource);
        pushAt(this.byService, serviceOf(resource.arn), resource);
      }
  }

  get(arn: string): AwsResourceData | undefined {
    return this.byArn.get(arn);
  }

  list(type?: AwsResourceType): AwsResourceData[] {
    return type ? (this.byType.get(type) ?? []) : this.all;
  }

  /** Resources a `Resource` pattern names (after variables), optionally of one type. */
  matching(pattern: string, type?: AwsResourceType): AwsResourceData[] {
    const key = `${type ?? ''}\u0000${pattern}`;
    let found = this.matches.get(key);
    if (!found) {
      found = this.matchingUncached(pattern, type);
      if (this.matches.size >= MAX_CACHE) this.matches.clear();
      this.matches.set(key, found);
    }
    return found;
  }

  private matchingUncached(pattern: string, type?: AwsResourceType): AwsResourceData[] {
    if (!pattern.includes('*') && !pattern.includes('?')) {
      const exact = this.byArn.get(pattern);
      return exact && (!type || exact.type === type) ? [exact] : [];
    }
    const service = serviceOf(pattern);
    const pool =
      service && !service.includes('*') && !service.includes('?')
        ? (this.byService.get(service) ?? [])
        : this.list(type);
    return pool.filter((r) => (!type || r.type === type) && arnMatches(pattern, r.arn));
  }

  /**
   * The collected resource that owns an ARN: the resource itself, or for sub-resources the
   * resource whose policy governs them (an S3 object → its bucket, a DynamoDB index or stream → its
   * table, a qualified Lambda ARN → its function, an API method → its REST API, an OpenSearch index
   * → its domain).
   */
  owner(arn: string): AwsResourceData | undefined {
    const exact = this.byArn.get(arn);
    if (exact) return exact;
    let found = this.owners.get(arn);
    if (found === undefined) {
      found = this.ownerOfPart(arn) ?? null;
      if (this.owners.size >= MAX_CACHE) this.owners.clear();
      this.owners.set(arn, found);
    }
    return found ?? undefined;
  }

  private ownerOfPart(arn: string): AwsResourceData | undefined {
    const parts = arn.split(':');
    if (parts.length < 6) return undefined;
    const [, , service] = parts;
    const resource = parts.slice(5).join(':');
    const head = parts.slice(0, 5).join(':');
    if (service === 's3') return this.byArn.get(`${head}:${resource.split('/')[0]}`);
    if (service === 'dynamodb') return this.byArn.get(`${head}:${resource.split('/').slice(0, 2).join('/')}`);
    if (service === 'lambda') return this.byArn.get(`${head}:${resource.split(':').slice(0, 2).join(':')}`);
    // An API method (`<api id>/<stage>/<method>/<path>`) belongs to its API, an index or path of an
    // OpenSearch domain (`domain/<name>/…`) to its domain.
    if (service === 'execute-api') return this.byArn.get(`${head}:${resource.split('/')[0]}`);
    if (service === 'es') return this.byArn.get(`${head}:${resource.split('/').slice(0, 2).join('/')}`);
    return undefined;
  }
}

const MAX_CACHE = 100_000;

/** The service segment of an ARN (`s3` in `arn:aws:s3:::b`), lowercase; '' for `*`. */
export function serviceOf(arn: string): string {
  return (arn.split(':')[2] ?? '').toLowerCase();
}
