import { ListTagsForResourceCommand, paginateDescribeParameters, SSMClient } from '@aws-sdk/client-ssm';
import { eachLimit } from '../../../util/pool.js';
import { arr, labelBy, optStr, str } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import {
  type AwsService,
  attribute,
  builtArn,
  ids,
  makeResource,
  perRegion,
  type RegionalReader,
  resourceTags,
} from './service.js';

const LIST = 'ssm-describe-parameters';
const TAGS = 'ssm-list-tags-for-resource';

/**
 * Parameter Store parameters: metadata only (name, type, the KMS key of a SecureString, tags),
 * never a value: `ssm:GetParameter` is never called.
 */
export const ssm: AwsService = {
  name: 'ssm',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [TAGS] },
  resources: [{ type: 'ssm-parameter', kind: 'AwsSsmParameter', holds: 'data', sensitivity: 'medium' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new SSMClient(config);
    const list = (await record(scope, at(LIST), () =>
      allPages(paginateDescribeParameters({ client }, {})),
    )) as { Parameters?: { Name?: string }[] } | undefined;
    ran(TAGS);
    await eachLimit(ids(list?.Parameters, 'Name'), limit, async (ResourceId) => {
      await record(scope, one(TAGS, ResourceId), () =>
        client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId })),
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, parameters),
};

const parameters: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'Parameters'), source, labelBy('Parameters', 'Name'), (p) => {
    const name = str(p, 'Name');
    // A hierarchical name keeps its path in the ARN without the leading slash:
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
    const arn =
      optStr(p, 'ARN') ?? builtArn(ctx, 'ssm', region, `parameter/${name.replace(/^\//, '')}`, source);
    const parameter = makeResource(
      'ssm-parameter',
      arn,
      name,
      ctx,
      region,
      resourceTags(ctx, TAGS, name, region, 'TagList'),
    );
    const type = optStr(p, 'Type');
    attribute(parameter, 'parameterType', type);
    // A SecureString without KeyId is encrypted with the AWS managed key alias/aws/ssm.
    if (type === 'SecureString') attribute(parameter, 'kmsKeyId', optStr(p, 'KeyId') ?? 'alias/aws/ssm');
    return parameter;
  });
