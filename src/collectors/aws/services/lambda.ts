import {
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListTagsCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { eachLimit } from '../../../util/pool.js';
import { arr, isObj, labelBy, optDate, optStr, str } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { perResource } from '../raw.js';
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
const URL_CONFIG = 'lambda-get-function-url-config';

/**
 * Lambda functions: their execution roles, function policies, tags and function URLs (the
 * unqualified function's; a URL on an alias is not read).
 */
export const lambda: AwsService = {
  name: 'lambda',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [POLICY, TAGS, URL_CONFIG] },
  resources: [{ type: 'lambda-function', kind: 'AwsLambdaFunction', holds: 'workload' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new LambdaClient(config);
    const functions = (await record(scope, at(LIST), () =>
      allPages(paginateListFunctions({ client }, {})),
    )) as { Functions?: { FunctionName?: string; FunctionArn?: string }[] } | undefined;
    ran(POLICY, TAGS, URL_CONFIG);
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
      await record(
        scope,
        one(URL_CONFIG, FunctionName),
        () => client.send(new GetFunctionUrlConfigCommand({ FunctionName })),
        true,
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
    const url = ctx.reader.resource(URL_CONFIG, name, region);
    if (isObj(url)) {
      // Who may call the URL: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
      attribute(fn, 'functionUrlAuthType', optStr(url, 'AuthType'));
      const urlSource = ctx.reader.file(perResource(URL_CONFIG, name, region));
      attribute(
        fn,
        'functionUrlCreated',
        ctx.reader.guard(urlSource, () => optDate(url, 'CreationTime')),
      );
    }
    return withPolicy(fn, resourcePolicy(ctx, POLICY, name, region, 'Policy', arn, 'function'));
  });
