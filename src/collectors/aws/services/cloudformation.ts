import { CloudFormationClient, paginateDescribeStacks } from '@aws-sdk/client-cloudformation';
import { arr, labelBy, optStr, str, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { type AwsService, attribute, makeResource, perRegion, type RegionalReader } from './service.js';

const LIST = 'cloudformation-describe-stacks';

/** CloudFormation stacks and the service roles they deploy with. */
export const cloudformation: AwsService = {
  name: 'cloudformation',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [] },
  resources: [{ type: 'cloudformation-stack', kind: 'AwsCloudFormationStack', holds: 'workload' }],

  async collect({ scope, config, at }) {
    await record(scope, at(LIST), () =>
      allPages(paginateDescribeStacks({ client: new CloudFormationClient(config) }, {})),
    );
  },

  transform: (ctx) => perRegion(ctx, LIST, stacks),
};

const stacks: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'Stacks'), source, labelBy('Stacks', 'StackName'), (s) => {
    const stack = makeResource(
      'cloudformation-stack',
      str(s, 'StackId'),
      str(s, 'StackName'),
      ctx,
      region,
      tags(s, 'Tags'),
    );
    const role = optStr(s, 'RoleARN');
    if (role) stack.roleArns = [role];
    attribute(stack, 'status', optStr(s, 'StackStatus'));
    return stack;
  });
