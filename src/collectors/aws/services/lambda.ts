import {
  GetPolicyCommand,
  LambdaClient,
  ListTagsCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { arr, labelBy, optStr, str } from '../documents.js';
import { allPages, eachLimit, record } from '../live-calls.js';
import {
  type AwsService,
  attribute,
  makeResource,
  perRegion,
  type RegionalReader,
  resourcePolicy,
  resourceTags,
  withPolicy,
} from './service.js';

const LIST = 'lambda-list-functions';
const POLICY = 'lambda-get-policy';
const TAGS = 'lambda-list-tags';

/** Lambda functions: their execution roles, function policies and tags. */
export const lambda: AwsService = {
  name: 'lambda',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [POLICY, TAGS] },
  resources: [{ type: 'lambda-function', kind: 'AwsLambdaFunction', holds: 'workload' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new LambdaClient(config);
    const functions = (await record(scope, at(LIST), () =>
      allPages(paginateListFunctions({ client }, {})),
    )) as { Functions?: { FunctionName?: string; FunctionArn?: string }[] } | undefined;
    ran(POLICY, TAGS);
    await eachLimit(functions?.Functions ?? [], limit, async (fn) => {
      if (!fn.FunctionName || !fn.FunctionArn) return;
      const { FunctionName, FunctionArn } = fn;
      await record(
        scope,
        one(POLICY, FunctionName),
        () => client.send(new GetPolicyCommand({ FunctionName })),
        true,
      );
      await record(scope, one(TAGS, FunctionName), () =>
        client.send(new ListTagsCommand({ Resource: FunctionArn })),
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, functions),
};

const functions: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'Functions'), source, labelBy('Functions', 'FunctionName'), (f) => {
    const name = str(f, 'FunctionName');
    const arn = str(f, 'FunctionArn');
    const fn = makeResource(
      'lambda-function',
      arn,
      name,
      ctx,
      region,
      resourceTags(ctx, TAGS, name, region, 'Tags'),
    );
    const role = optStr(f, 'Role');
    if (role) fn.roleArns = [role];
    attribute(fn, 'runtime', optStr(f, 'Runtime'));
    return withPolicy(fn, resourcePolicy(ctx, POLICY, name, region, 'Policy', arn, 'function'));
  });
