import {
  DescribeDomainCommand,
  ListDomainNamesCommand,
  ListTagsCommand,
  OpenSearchClient,
} from '@aws-sdk/client-opensearch';
import { eachLimit } from '../../../util/pool.js';
import { arr, isObj, labelBy, optStr, str } from '../documents.js';
import { record } from '../live-calls.js';
import {
  type AwsService,
  attribute,
  builtArn,
  ids,
  makeResource,
  perRegion,
  type RegionalReader,
  resourcePolicy,
  resourceTags,
  withPolicy,
} from './service.js';

const LIST = 'opensearch-list-domain-names';
const DESCRIBE = 'opensearch-describe-domain';
const TAGS = 'opensearch-list-tags';

/** OpenSearch Service domains: their access policies, VPC placement and tags. */
export const opensearch: AwsService = {
  name: 'opensearch',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [DESCRIBE, TAGS] },
  resources: [
    { type: 'opensearch-domain', kind: 'AwsOpenSearchDomain', holds: 'data', sensitivity: 'medium' },
  ],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new OpenSearchClient(config);
    // ListDomainNames is not paginated: it answers every domain of the region at once.
    const list = (await record(scope, at(LIST), () => client.send(new ListDomainNamesCommand({})))) as
      | { DomainNames?: { DomainName?: string }[] }
      | undefined;
    ran(DESCRIBE, TAGS);
    await eachLimit(ids(list?.DomainNames, 'DomainName'), limit, async (DomainName) => {
      const described = (await record(scope, one(DESCRIBE, DomainName), () =>
        client.send(new DescribeDomainCommand({ DomainName })),
      )) as { DomainStatus?: { ARN?: string } } | undefined;
      const ARN = described?.DomainStatus?.ARN;
      if (ARN) await record(scope, one(TAGS, DomainName), () => client.send(new ListTagsCommand({ ARN })));
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, domains),
};

const domains: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'DomainNames'), source, labelBy('DomainNames', 'DomainName'), (d) => {
    const name = str(d, 'DomainName');
    const described = ctx.reader.resource(DESCRIBE, name, region);
    const status = isObj(described) && isObj(described.DomainStatus) ? described.DomainStatus : undefined;
    const arn = (status && optStr(status, 'ARN')) ?? builtArn(ctx, 'es', region, `domain/${name}`, source);
    const domain = makeResource(
      'opensearch-domain',
      arn,
      name,
      ctx,
      region,
      resourceTags(ctx, TAGS, name, region, 'TagList'),
    );
    // A domain in a VPC is reached only through its VPC, whatever its access policy says.
    if (status)
      attribute(
        domain,
        'inVpc',
        isObj(status.VPCOptions) && optStr(status.VPCOptions, 'VPCId') !== undefined,
      );
    return withPolicy(
      domain,
      resourcePolicy(ctx, DESCRIBE, name, region, 'DomainStatus.AccessPolicies', arn, 'domain'),
    );
  });
