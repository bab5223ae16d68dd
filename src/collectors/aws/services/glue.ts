import { GlueClient, paginateGetDevEndpoints } from '@aws-sdk/client-glue';
import { arr, labelBy, optStr, str } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import {
  type AwsService,
  attribute,
  builtArn,
  makeResource,
  perRegion,
  type RegionalReader,
} from './service.js';

const LIST = 'glue-get-dev-endpoints';

/** Glue development endpoints and the roles they run as. */
export const glue: AwsService = {
  name: 'glue',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [] },
  resources: [{ type: 'glue-dev-endpoint', kind: 'AwsGlueDevEndpoint', holds: 'workload' }],

  async collect({ scope, config, at }) {
    await record(scope, at(LIST), () =>
      allPages(paginateGetDevEndpoints({ client: new GlueClient(config) }, {})),
    );
  },

  transform: (ctx) => perRegion(ctx, LIST, endpoints),
};

const endpoints: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'DevEndpoints'), source, labelBy('DevEndpoints', 'EndpointName'), (e) => {
    const name = str(e, 'EndpointName');
    const endpoint = makeResource(
      'glue-dev-endpoint',
      builtArn(ctx, 'glue', region, `devEndpoint/${name}`, source),
      name,
      ctx,
      region,
      {},
    );
    const role = optStr(e, 'RoleArn');
    if (role) endpoint.roleArns = [role];
    attribute(endpoint, 'status', optStr(e, 'Status'));
    return endpoint;
  });
