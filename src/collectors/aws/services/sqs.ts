import {
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  paginateListQueues,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsResourceData } from '../../../model/aws/environment.js';
import { eachLimit } from '../../../util/pool.js';
import { isObj, optStr, strings } from '../documents.js';
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

const LIST = 'sqs-list-queues';
const ATTRIBUTES = 'sqs-get-queue-attributes';
const TAGS = 'sqs-list-queue-tags';

/** SQS queues: their queue policies (the `Policy` attribute), encryption key and tags. */
export const sqs: AwsService = {
  name: 'sqs',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [ATTRIBUTES, TAGS] },
  resources: [{ type: 'sqs-queue', kind: 'AwsSqsQueue', holds: 'data', sensitivity: 'medium' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new SQSClient(config);
    const list = (await record(scope, at(LIST), () => allPages(paginateListQueues({ client }, {})))) as
      | { QueueUrls?: string[] }
      | undefined;
    ran(ATTRIBUTES, TAGS);
    await eachLimit(list?.QueueUrls ?? [], limit, async (QueueUrl) => {
      const name = queueName(QueueUrl);
      await record(scope, one(ATTRIBUTES, name), () =>
        client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })),
      );
      await record(scope, one(TAGS, name), () => client.send(new ListQueueTagsCommand({ QueueUrl })));
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, queues),
};

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` → `<name>`. */
const queueName = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

const queues: RegionalReader = (ctx, document, source, region) => {
  const out: AwsResourceData[] = [];
  for (const url of strings(document, 'QueueUrls')) {
    const name = queueName(url);
    const described = ctx.reader.resource(ATTRIBUTES, name, region);
    const attributes = isObj(described) && isObj(described.Attributes) ? described.Attributes : undefined;
    const arn = ctx.reader.guard(
      source,
      () => (attributes && optStr(attributes, 'QueueArn')) ?? builtArn(ctx, 'sqs', region, name, source),
    );
    if (!arn) continue;
    const queue = makeResource(
      'sqs-queue',
      arn,
      name,
      ctx,
      region,
      resourceTags(ctx, TAGS, name, region, 'Tags'),
    );
    if (attributes) attribute(queue, 'kmsKeyId', optStr(attributes, 'KmsMasterKeyId'));
    out.push(
      withPolicy(queue, resourcePolicy(ctx, ATTRIBUTES, name, region, 'Attributes.Policy', arn, 'queue')),
    );
  }
  return out;
};
