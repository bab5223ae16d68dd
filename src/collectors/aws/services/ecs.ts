import { DescribeTaskDefinitionCommand, ECSClient, paginateListTaskDefinitions } from '@aws-sdk/client-ecs';
import { isObj, optStr, strings, tags } from '../documents.js';
import { allPages, eachLimit, record } from '../live-calls.js';
import { type AwsService, attribute, makeResource, perRegion, type RegionalReader } from './service.js';

const LIST = 'ecs-list-task-definitions';
const DESCRIBE = 'ecs-describe-task-definition';

/** `family:revision` of a task definition ARN: its per-resource document name. */
const familyRevision = (arn: string) =>
  arn.slice(arn.indexOf('task-definition/') + 'task-definition/'.length);

/** ECS task definitions and their task roles. */
export const ecs: AwsService = {
  name: 'ecs',
  placement: 'region',
  snapshot: { documents: [LIST], perResource: [DESCRIBE] },
  resources: [{ type: 'ecs-task-definition', kind: 'AwsEcsTaskDefinition', holds: 'workload' }],

  async collect({ scope, config, limit, at, one, ran }) {
    const client = new ECSClient(config);
    const definitions = (await record(scope, at(LIST), () =>
      allPages(paginateListTaskDefinitions({ client }, {})),
    )) as { taskDefinitionArns?: string[] } | undefined;
    ran(DESCRIBE);
    await eachLimit(definitions?.taskDefinitionArns ?? [], limit, async (taskDefinition) => {
      await record(scope, one(DESCRIBE, familyRevision(taskDefinition)), () =>
        client.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] })),
      );
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, definitions),
};

const definitions: RegionalReader = (ctx, document, _source, region) =>
  strings(document, 'taskDefinitionArns').map((arn) => {
    const name = familyRevision(arn);
    const describe = ctx.reader.resource(DESCRIBE, name, region);
    const definition =
      isObj(describe) && isObj(describe.taskDefinition) ? describe.taskDefinition : undefined;
    const task = makeResource(
      'ecs-task-definition',
      arn,
      name,
      ctx,
      region,
      isObj(describe) ? tags(describe, 'tags') : {},
    );
    if (definition) {
      const role = optStr(definition, 'taskRoleArn');
      if (role) task.roleArns = [role];
      attribute(task, 'executionRoleArn', optStr(definition, 'executionRoleArn'));
    }
    return task;
  });
