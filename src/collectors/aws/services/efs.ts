import { DescribeFileSystemPolicyCommand, EFSClient, paginateDescribeFileSystems } from '@aws-sdk/client-efs';
import type { NamedPolicy } from '../../../model/aws/policy.js';
import { eachLimit } from '../../../util/pool.js';
import { arr, labelBy, optBool, optStr, str, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import {
  type AwsService,
  attribute,
  ids,
  makeResource,
  perRegion,
  type RegionalReader,
  resourcePolicy,
  withPolicy,
} from './service.js';

const LIST = 'efs-describe-file-systems';
const POLICY = 'efs-describe-file-system-policy';

/**
 * EFS file systems: their file system policies and tags. A file system without a policy is
 * governed by EFS's default policy (see the can-access edge family), so "no policy" is recorded as
 * such only when the policy command ran.
 */
export const efs: AwsService = {
  name: 'efs',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [POLICY] },
  resources: [{ type: 'efs-file-system', kind: 'AwsEfsFileSystem', holds: 'data', sensitivity: 'medium' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new EFSClient(config);
    const list = (await record(scope, at(LIST), () =>
      allPages(paginateDescribeFileSystems({ client }, {})),
    )) as { FileSystems?: { FileSystemId?: string }[] } | undefined;
    ran(POLICY);
    await eachLimit(ids(list?.FileSystems, 'FileSystemId'), limit, async (FileSystemId) => {
      await record(
        scope,
        one(POLICY, FileSystemId),
        () => client.send(new DescribeFileSystemPolicyCommand({ FileSystemId })),
        true,
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, fileSystems),
};

const fileSystems: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'FileSystems'), source, labelBy('FileSystems', 'FileSystemId'), (f) => {
    const id = str(f, 'FileSystemId');
    const arn = str(f, 'FileSystemArn');
    const fs = makeResource('efs-file-system', arn, optStr(f, 'Name') ?? id, ctx, region, tags(f, 'Tags'));
    attribute(fs, 'fileSystemId', id);
    attribute(fs, 'encrypted', optBool(f, 'Encrypted'));
    attribute(fs, 'kmsKeyId', optStr(f, 'KmsKeyId'));
    const policy = resourcePolicy(ctx, POLICY, id, region, 'Policy', arn, 'file system');
    // No policy document where the command ran and did not fail: EFS's default policy is in force.
    const absent = ctx.reader.resource(POLICY, id, region) === undefined;
    if (absent && ctx.reader.collected[POLICY] === true && !ctx.reader.failed(POLICY, id, region)) {
      attribute(fs, 'defaultPolicy', true);
      return withPolicy(fs, defaultPolicy(arn));
    }
    return withPolicy(fs, policy);
  });

/**
 * EFS's default file system policy, in force whenever no policy is set: it does not use IAM and
 * grants full access to any client that can connect through a mount target
 * (https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html#default-filesystempolicy).
 * Whether a client can reach a mount target is a network question, left as the condition.
 */
function defaultPolicy(arn: string): NamedPolicy {
  return {
    id: `${arn}#default-policy`,
    name: 'default file system policy (no policy set)',
    kind: 'resource',
    document: {
      Statement: [
        {
          index: 0,
          Sid: 'EfsDefaultPolicy',
          Effect: 'Allow',
          Principal: { AWS: ['*'] },
          Action: [
            'elasticfilesystem:ClientRootAccess',
            'elasticfilesystem:ClientWrite',
            'elasticfilesystem:ClientMount',
          ],
          Resource: [arn],
          Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': ['true'] } },
        },
      ],
    },
  };
}
