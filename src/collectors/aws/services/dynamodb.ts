import {
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand,
  ListTagsOfResourceCommand,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { eachLimit } from '../../../util/pool.js';
import { clip, isObj, optStr, ShapeError, strings } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import {
  type AwsService,
  attribute,
  builtArn,
  makeResource,
  perRegion,
  type RegionalReader,
  resourcePolicy,
  resourceTags,
  withPolicy,
} from './service.js';

const LIST = 'dynamodb-list-tables';
const DESCRIBE = 'dynamodb-describe-table';
const TAGS = 'dynamodb-list-tags-of-resource';
const POLICY = 'dynamodb-get-resource-policy';

/** DynamoDB tables: their descriptions, tags and resource policies. */
export const dynamodb: AwsService = {
  name: 'dynamodb',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [DESCRIBE, TAGS, POLICY] },
  resources: [{ type: 'dynamodb-table', kind: 'AwsDynamoDbTable', holds: 'data', sensitivity: 'medium' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new DynamoDBClient(config);
    const tables = (await record(scope, at(LIST), () => allPages(paginateListTables({ client }, {})))) as
      | { TableNames?: string[] }
      | undefined;
    ran(DESCRIBE, TAGS, POLICY);
    await eachLimit(tables?.TableNames ?? [], limit, async (TableName) => {
      const described = (await record(scope, one(DESCRIBE, TableName), () =>
        client.send(new DescribeTableCommand({ TableName })),
      )) as { Table?: { TableArn?: string } } | undefined;
      const ResourceArn = described?.Table?.TableArn;
      if (!ResourceArn) return;
      await record(scope, one(TAGS, TableName), () =>
        client.send(new ListTagsOfResourceCommand({ ResourceArn })),
      );
      await record(
        scope,
        one(POLICY, TableName),
        () => client.send(new GetResourcePolicyCommand({ ResourceArn })),
        true,
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, tables),
};

const tables: RegionalReader = (ctx, document, source, region) =>
  strings(document, 'TableNames').flatMap((name) => {
    try {
      const describe = ctx.reader.resource(DESCRIBE, name, region);
      const table = isObj(describe) && isObj(describe.Table) ? describe.Table : undefined;
      const arn =
        (table ? optStr(table, 'TableArn') : undefined) ??
        builtArn(ctx, 'dynamodb', region, `table/${name}`, source);
      const resource = makeResource(
        'dynamodb-table',
        arn,
        name,
        ctx,
        region,
        resourceTags(ctx, TAGS, name, region, 'Tags'),
      );
      if (table) attribute(resource, 'status', optStr(table, 'TableStatus'));
      return [withPolicy(resource, resourcePolicy(ctx, POLICY, name, region, 'Policy', arn, 'table'))];
    } catch (error) {
      // Table names are strings, not objects, so `reader.each` does not apply: skip this table only.
      if (!(error instanceof ShapeError)) throw error;
      ctx.reader.issue('error', source, `table ${clip(name)}: ${error.message}`, name);
      return [];
    }
  });
