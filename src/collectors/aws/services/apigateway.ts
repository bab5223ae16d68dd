import { APIGatewayClient, paginateGetRestApis } from '@aws-sdk/client-api-gateway';
import { arr, isObj, labelBy, optStr, str, strings, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { parsePolicy } from '../policies.js';
import {
  type AwsService,
  attribute,
  builtArn,
  makeResource,
  perRegion,
  type RegionalReader,
} from './service.js';

const LIST = 'apigateway-get-rest-apis';

/**
 * API Gateway REST APIs: their resource policies (which govern `execute-api:Invoke`), endpoint
 * types and tags, all in the one list command. The API is named by its execute-api ARN
 * (`arn:aws:execute-api:<region>:<account>:<api id>`), the prefix of every method ARN a policy names.
 */
export const apigateway: AwsService = {
  name: 'apigateway',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [] },
  resources: [
    { type: 'api-gateway-rest-api', kind: 'AwsApiGatewayRestApi', holds: 'data', sensitivity: 'medium' },
  ],

  async collect({ scope, config, at }) {
    const client = new APIGatewayClient(config);
    await record(scope, at(LIST), () => allPages(paginateGetRestApis({ client }, {})));
  },

  transform: (ctx) => perRegion(ctx, LIST, restApis),
};

const restApis: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'items'), source, labelBy('items', 'id', 'name'), (a, object) => {
    const id = str(a, 'id');
    const arn = builtArn(ctx, 'execute-api', region, id, source);
    const api = makeResource(
      'api-gateway-rest-api',
      arn,
      optStr(a, 'name') ?? id,
      ctx,
      region,
      tags(a, 'tags'),
    );
    attribute(api, 'apiId', id);
    if (isObj(a.endpointConfiguration)) {
      const [type] = strings(a.endpointConfiguration, 'types');
      attribute(api, 'endpointType', type);
    }
    const text = optStr(a, 'policy');
    if (text) {
      const parsed = parsePolicy(ctx.reader, policyText(text, arn), source, `${object}, policy`, 'resource');
      if (parsed)
        api.policy = {
          id: `${arn}#policy`,
          name: 'REST API resource policy',
          kind: 'resource',
          document: parsed,
        };
    }
    return api;
  });

/**
 * API Gateway returns the policy with its quotes backslash-escaped (`{\"Version\":…}`), and a
 * policy may name the API's own methods as `execute-api:/<stage>/<method>/<path>`, which API Gateway
 * reads as the API's ARN (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html).
 */
function policyText(text: string, arn: string): string {
  const unescaped = text.includes('\\"') ? text.replace(/\\(["/\\])/g, '$1') : text;
  return unescaped.replace(/"execute-api:\//g, `"${arn}/`);
}
