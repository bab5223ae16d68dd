import {
  ECRClient,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import { eachLimit } from '../../../util/pool.js';
import { arr, isObj, labelBy, optStr, str } from '../documents.js';
import { allPages, record } from '../live-calls.js';
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

const LIST = 'ecr-describe-repositories';
const POLICY = 'ecr-get-repository-policy';
const TAGS = 'ecr-list-tags-for-resource';

/** ECR repositories: their repository policies, encryption key and tags. */
export const ecr: AwsService = {
  name: 'ecr',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [POLICY, TAGS] },
  resources: [{ type: 'ecr-repository', kind: 'AwsEcrRepository', holds: 'data', sensitivity: 'medium' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new ECRClient(config);
    const list = (await record(scope, at(LIST), () =>
      allPages(paginateDescribeRepositories({ client }, {})),
    )) as { repositories?: { repositoryName?: string; repositoryArn?: string }[] } | undefined;
    ran(POLICY, TAGS);
    await eachLimit(list?.repositories ?? [], limit, async ({ repositoryName, repositoryArn }) => {
      if (!repositoryName || !repositoryArn) return;
      await record(
        scope,
        one(POLICY, repositoryName),
        () => client.send(new GetRepositoryPolicyCommand({ repositoryName })),
        true,
      );
      await record(scope, one(TAGS, repositoryName), () =>
        client.send(new ListTagsForResourceCommand({ resourceArn: repositoryArn })),
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, repositories),
};

const repositories: RegionalReader = (ctx, document, source, region) =>
  ctx.reader.each(arr(document, 'repositories'), source, labelBy('repositories', 'repositoryName'), (r) => {
    const name = str(r, 'repositoryName');
    const arn = str(r, 'repositoryArn');
    const repository = makeResource(
      'ecr-repository',
      arn,
      name,
      ctx,
      region,
      resourceTags(ctx, TAGS, name, region, 'tags'),
    );
    if (isObj(r.encryptionConfiguration))
      attribute(repository, 'kmsKeyId', optStr(r.encryptionConfiguration, 'kmsKey'));
    return withPolicy(repository, resourcePolicy(ctx, POLICY, name, region, 'policyText', arn, 'repository'));
  });
