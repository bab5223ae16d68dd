import {
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  paginateListTopics,
  SNSClient,
} from '@aws-sdk/client-sns';
import { eachLimit } from '../../../util/pool.js';
import { arr, isObj, labelBy, optStr, str } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import {
  type AwsService,
  attribute,
  ids,
  makeResource,
  perRegion,
  type RegionalReader,
  resourcePolicy,
  resourceTags,
  withPolicy,
} from './service.js';

const LIST = 'sns-list-topics';
const ATTRIBUTES = 'sns-get-topic-attributes';
const TAGS = 'sns-list-tags-for-resource';

/** SNS topics: their topic policies (the `Policy` attribute), encryption key and tags. */
export const sns: AwsService = {
  name: 'sns',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [ATTRIBUTES, TAGS] },
  resources: [{ type: 'sns-topic', kind: 'AwsSnsTopic', holds: 'data', sensitivity: 'medium' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new SNSClient(config);
    const list = (await record(scope, at(LIST), () => allPages(paginateListTopics({ client }, {})))) as
      | { Topics?: { TopicArn?: string }[] }
      | undefined;
    ran(ATTRIBUTES, TAGS);
    await eachLimit(ids(list?.Topics, 'TopicArn'), limit, async (TopicArn) => {
      const name = topicName(TopicArn);
      await record(scope, one(ATTRIBUTES, name), () =>
        client.send(new GetTopicAttributesCommand({ TopicArn })),
      );
      await record(scope, one(TAGS, name), () =>
        client.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn })),
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, topics),
};

const topicName = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

const topics: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'Topics'), source, labelBy('Topics', 'TopicArn'), (t) => {
    const arn = str(t, 'TopicArn');
    const name = topicName(arn);
    const topic = makeResource(
      'sns-topic',
      arn,
      name,
      ctx,
      region,
      resourceTags(ctx, TAGS, name, region, 'Tags'),
    );
    const described = ctx.reader.resource(ATTRIBUTES, name, region);
    if (isObj(described) && isObj(described.Attributes))
      attribute(topic, 'kmsKeyId', optStr(described.Attributes, 'KmsMasterKeyId'));
    return withPolicy(
      topic,
      resourcePolicy(ctx, ATTRIBUTES, name, region, 'Attributes.Policy', arn, 'topic'),
    );
  });
