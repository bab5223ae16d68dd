import { isIP } from 'node:net';
import {
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import type { AwsResourceData } from '../../../model/aws/environment.js';
import { type AclGrantee, aclGroup, formatAclGrant, isAclPermission } from '../../../model/aws/s3-acl.js';
import { eachLimit } from '../../../util/pool.js';
import { arr, isObj, labelBy, type Obj, obj, optBool, optStr, ShapeError, str } from '../documents.js';
import { allPages, errorName, record } from '../live-calls.js';
import { perResource } from '../raw.js';
import {
  type AwsService,
  attribute,
  makeResource,
  type ResourceContext,
  resourcePolicy,
  resourceTags,
  withPolicy,
} from './service.js';

const LIST = 's3api-list-buckets';
const POLICY = 's3api-get-bucket-policy';
const TAGGING = 's3api-get-bucket-tagging';
const LOCATION = 's3api-get-bucket-location';
const PUBLIC_ACCESS_BLOCK = 's3api-get-public-access-block';
const ACL = 's3api-get-bucket-acl';
const OWNERSHIP = 's3api-get-bucket-ownership-controls';
/** The account's Block Public Access settings (`aws s3control get-public-access-block --account-id`). */
const ACCOUNT_PUBLIC_ACCESS_BLOCK = 's3control-get-public-access-block';
const BLOCK_SETTINGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

/**
 * S3 buckets: their policies, ACLs, object ownership, tags, regions and Block Public Access settings
 * (the bucket's and the account's). A global service.
 */
export const s3: AwsService = {
  name: 's3api',
  alsoCli: ['s3control'],
  placement: 'account',
  snapshot: {
    documents: [LIST, ACCOUNT_PUBLIC_ACCESS_BLOCK],
    perResource: [POLICY, TAGGING, LOCATION, PUBLIC_ACCESS_BLOCK, ACL, OWNERSHIP],
  },
  resources: [{ type: 's3-bucket', kind: 'AwsS3Bucket', holds: 'data' }],

  async collect({ scope, accountId, config, endpoint, limit, at, one, ran }) {
    // No configuration is answered NoSuchPublicAccessBlockConfiguration: nothing is blocked.
    if (s3ControlReachable(endpoint)) {
      await record(
        scope,
        at(ACCOUNT_PUBLIC_ACCESS_BLOCK),
        () =>
          new S3ControlClient(config).send(new GetAccountPublicAccessBlockCommand({ AccountId: accountId })),
        true,
      );
    }
    const client = new S3Client({
      ...config,
      forcePathStyle: Boolean(endpoint),
      followRegionRedirects: true,
    });
    const list = (await record(scope, at(LIST), () => allPages(paginateListBuckets({ client }, {})))) as
      | { Buckets?: { Name?: string }[] }
      | undefined;
    ran(POLICY, TAGGING, LOCATION, PUBLIC_ACCESS_BLOCK, ACL, OWNERSHIP);
    const buckets = (list?.Buckets ?? []).map((b) => b.Name).filter((n): n is string => Boolean(n));
    await eachLimit(buckets, limit, async (Bucket) => {
      await record(
        scope,
        one(POLICY, Bucket),
        () => client.send(new GetBucketPolicyCommand({ Bucket })),
        true,
      );
      await record(
        scope,
        one(TAGGING, Bucket),
        () => client.send(new GetBucketTaggingCommand({ Bucket })),
        true,
      );
      await record(scope, one(LOCATION, Bucket), () => client.send(new GetBucketLocationCommand({ Bucket })));
      await record(
        scope,
        one(PUBLIC_ACCESS_BLOCK, Bucket),
        () => client.send(new GetPublicAccessBlockCommand({ Bucket })),
        true,
      );
      await record(scope, one(ACL, Bucket), () => client.send(new GetBucketAclCommand({ Bucket })));
      // No ownership controls is answered OwnershipControlsNotFoundError: ACLs are enabled.
      await record(scope, one(OWNERSHIP, Bucket), () =>
        client.send(new GetBucketOwnershipControlsCommand({ Bucket })).catch((error: unknown) => {
          if (errorName(error) === 'OwnershipControlsNotFoundError') return undefined;
          throw error;
        }),
      );
    });
  },

  transform(ctx) {
    const { reader } = ctx;
    const document = reader.get(LIST);
    if (document === undefined) {
      reader.missing(LIST);
      return [];
    }
    const source = reader.file(LIST);
    const list = reader.guard(source, () => arr(obj(document, 'the document'), 'Buckets')) ?? [];
    const account = accountBlock(ctx);
    return reader.each(list, source, labelBy('Buckets', 'Name'), (b) => bucket(ctx, b, account));
  },
};

type BlockSettings = Partial<Record<(typeof BLOCK_SETTINGS)[number], boolean>>;

function blockSettings(document: unknown): BlockSettings {
  const config = obj(
    obj(document, 'the document').PublicAccessBlockConfiguration,
    'PublicAccessBlockConfiguration',
  );
  const out: BlockSettings = {};
  for (const key of BLOCK_SETTINGS) {
    const value = optBool(config, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * S3 Control's endpoint rules send every call to `<account id>.<endpoint host>`, a custom endpoint
 * included (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html);
 * an endpoint given as an IP address cannot take that label, so through it the account's settings
 * stay uncollected (the transform says so) rather than failing the account. `scripts/snapshot-aws.sh`
 * skips the same call for the same reason.
 */
function s3ControlReachable(endpoint: string | undefined): boolean {
  if (!endpoint) return true;
  return isIP(new URL(endpoint).hostname.replace(/^\[(.*)\]$/, '$1')) === 0;
}

/** The account's settings; none when the account has no configuration or it was not collected. */
function accountBlock(ctx: ResourceContext): BlockSettings {
  const { reader } = ctx;
  const document = reader.get(ACCOUNT_PUBLIC_ACCESS_BLOCK);
  if (document === undefined) {
    reader.missing(ACCOUNT_PUBLIC_ACCESS_BLOCK);
    return {};
  }
  return reader.guard(reader.file(ACCOUNT_PUBLIC_ACCESS_BLOCK), () => blockSettings(document)) ?? {};
}

function bucket(ctx: ResourceContext, b: Obj, account: BlockSettings): AwsResourceData {
  const { reader } = ctx;
  const name = str(b, 'Name');
  const arn = `arn:${ctx.partition}:s3:::${name}`;
  const resource = makeResource(
    's3-bucket',
    arn,
    name,
    ctx,
    bucketRegion(ctx, b, name),
    resourceTags(ctx, TAGGING, name, undefined, 'TagSet'),
  );
  const document = reader.resource(PUBLIC_ACCESS_BLOCK, name);
  const own =
    document === undefined
      ? {}
      : (reader.guard(reader.file(perResource(PUBLIC_ACCESS_BLOCK, name)), () => blockSettings(document)) ??
        {});
  // S3 applies the most restrictive combination of the bucket's and the account's settings
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
  for (const key of BLOCK_SETTINGS) {
    const either = own[key] === true || account[key] === true;
    const known = own[key] !== undefined || account[key] !== undefined;
    attribute(resource, key.charAt(0).toLowerCase() + key.slice(1), known ? either : undefined);
    if (account[key] === true) attribute(resource, `account${key}`, true);
  }
  attribute(resource, 'aclGrants', perBucket(ctx, ACL, name, aclGrants));
  attribute(resource, 'objectOwnership', perBucket(ctx, OWNERSHIP, name, objectOwnership));
  return withPolicy(resource, resourcePolicy(ctx, POLICY, name, undefined, 'Policy', arn, 'bucket'));
}

/** One per-bucket document read by `read`; a malformed one is an issue naming its file. */
function perBucket<T>(
  ctx: ResourceContext,
  command: string,
  name: string,
  read: (document: Obj) => T,
): T | undefined {
  const document = ctx.reader.resource(command, name);
  if (document === undefined) return undefined;
  return ctx.reader.guard(ctx.reader.file(perResource(command, name)), () =>
    read(obj(document, 'the document')),
  );
}

/**
 * The bucket ACL's grants (`aws s3api get-bucket-acl`), as `formatAclGrant` writes them; a grant to
 * the ACL's owner is the owner's.
 */
function aclGrants(document: Obj): string[] {
  const owner = isObj(document.Owner) ? optStr(document.Owner, 'ID') : undefined;
  return arr(document, 'Grants').map((item, i) => {
    const grant = obj(item, `Grants[${i}]`);
    const permission = str(grant, 'Permission');
    if (!isAclPermission(permission)) throw new ShapeError(`Grants[${i}].Permission: unknown ${permission}`);
    return formatAclGrant({
      grantee: grantee(obj(grant.Grantee, `Grants[${i}].Grantee`), owner),
      permission,
    });
  });
}

function grantee(g: Obj, owner: string | undefined): AclGrantee {
  const type = str(g, 'Type');
  if (type === 'Group') {
    const uri = str(g, 'URI');
    const group = aclGroup(uri);
    return group ? { kind: 'group', group } : { kind: 'other-group', uri };
  }
  if (type === 'AmazonCustomerByEmail') return { kind: 'email' };
  if (type === 'CanonicalUser') {
    const id = str(g, 'ID');
    return id === owner ? { kind: 'owner' } : { kind: 'canonical-user', id };
  }
  throw new ShapeError(`Grantee.Type: unknown ${type}`);
}

/** `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter` (`aws s3api get-bucket-ownership-controls`). */
function objectOwnership(document: Obj): string | undefined {
  const rules = arr(obj(document.OwnershipControls, 'OwnershipControls'), 'Rules');
  const [first] = rules;
  return first === undefined ? undefined : str(obj(first, 'Rules[0]'), 'ObjectOwnership');
}

/** ListBuckets may carry BucketRegion; GetBucketLocation answers null for us-east-1 and `EU` for eu-west-1. */
function bucketRegion(ctx: ResourceContext, bucket: Obj, name: string): string | undefined {
  const listed = optStr(bucket, 'BucketRegion');
  if (listed) return listed;
  const location = ctx.reader.resource(LOCATION, name);
  if (!isObj(location)) return undefined;
  const constraint = location.LocationConstraint;
  if (constraint === null || constraint === '' || constraint === undefined) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return typeof constraint === 'string' ? constraint : undefined;
}
