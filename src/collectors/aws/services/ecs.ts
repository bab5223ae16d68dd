import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  paginateListClusters,
  paginateListContainerInstances,
  paginateListServices,
  paginateListTaskDefinitions,
} from '@aws-sdk/client-ecs';
import type { AwsResourceData } from '../../../model/aws/environment.js';
import { eachLimit, mapLimit } from '../../../util/pool.js';
import { arr, isObj, labelBy, obj, optStr, str, strings, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { perResource } from '../raw.js';
import { type AwsService, attribute, makeResource, perRegion, type RegionalReader } from './service.js';

const LIST = 'ecs-list-task-definitions';
const DESCRIBE = 'ecs-describe-task-definition';
const CLUSTERS = 'ecs-list-clusters';
const SERVICES = 'ecs-list-services';
const DESCRIBE_SERVICE = 'ecs-describe-services';
const CONTAINER_INSTANCES = 'ecs-list-container-instances';

/** `family:revision` of a task definition ARN: its per-resource document name. */
const familyRevision = (arn: string) =>
  arn.slice(arn.indexOf('task-definition/') + 'task-definition/'.length);

/** The last path segment of an ECS ARN: a cluster's or a service's name. */
const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** A service's per-resource document name: `<cluster>/<service>` (one file name once encoded). */
const serviceDocument = (cluster: string, service: string) => `${cluster}/${service}`;

/**
 * ECS task definitions and their task roles; clusters and their services, with the task
 * definition each service runs. Services are facts for the escalation analysis (updating a
 * service to a new task definition runs code as the role passed to it), not graph nodes: the
 * task definition a service runs is the workload node.
 */
export const ecs: AwsService = {
  name: 'ecs',
  placement: 'region',
  snapshot: {
    documents: [LIST, CLUSTERS],
    perResource: [DESCRIBE, SERVICES, DESCRIBE_SERVICE, CONTAINER_INSTANCES],
  },
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

    const clusters = (await record(scope, at(CLUSTERS), () =>
      allPages(paginateListClusters({ client }, {})),
    )) as { clusterArns?: string[] } | undefined;
    ran(SERVICES, DESCRIBE_SERVICE, CONTAINER_INSTANCES);
    // Each cluster's lists first, then every (cluster, service) describe through one bounded pool.
    const perCluster = await mapLimit(clusters?.clusterArns ?? [], limit, async (cluster) => {
      const name = lastSegment(cluster);
      await record(scope, one(CONTAINER_INSTANCES, name), () =>
        allPages(paginateListContainerInstances({ client }, { cluster })),
      );
      const services = (await record(scope, one(SERVICES, name), () =>
        allPages(paginateListServices({ client }, { cluster })),
      )) as { serviceArns?: string[] } | undefined;
      return (services?.serviceArns ?? []).map((service) => ({ cluster, name, service }));
    });
    await eachLimit(perCluster.flat(), limit, async ({ cluster, name, service }) => {
      await record(scope, one(DESCRIBE_SERVICE, serviceDocument(name, lastSegment(service))), () =>
        client.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })),
      );
    });
  },

  transform: (ctx) => [...perRegion(ctx, LIST, definitions), ...perRegion(ctx, CLUSTERS, clusterServices)],
};

/** The task role of a collected task definition, read from its describe document. */
function taskRole(ctx: Parameters<RegionalReader>[0], arn: string, region: string | undefined) {
  const describe = ctx.reader.resource(DESCRIBE, familyRevision(arn), region);
  const definition = isObj(describe) && isObj(describe.taskDefinition) ? describe.taskDefinition : undefined;
  return definition ? { definition, role: optStr(definition, 'taskRoleArn') } : undefined;
}

const definitions: RegionalReader = (ctx, document, _source, region) =>
  strings(document, 'taskDefinitionArns').map((arn) => {
    const name = familyRevision(arn);
    const describe = ctx.reader.resource(DESCRIBE, name, region);
    const task = makeResource(
      'ecs-task-definition',
      arn,
      name,
      ctx,
      region,
      isObj(describe) ? tags(describe, 'tags') : {},
    );
    const found = taskRole(ctx, arn, region);
    if (found) {
      if (found.role) task.roleArns = [found.role];
      attribute(task, 'executionRoleArn', optStr(found.definition, 'executionRoleArn'));
    }
    return task;
  });

/**
 * Every listed cluster (with how many EC2 container instances it has), and every service of it (`ecs list-services --cluster`, then `ecs describe-services`
 * per service), with the task definition it runs and that definition's task role when collected.
 */
const clusterServices: RegionalReader = (ctx, document, _source, region) =>
  strings(document, 'clusterArns').flatMap((clusterArn) => {
    const cluster = lastSegment(clusterArn);
    const clusterResource = makeResource('ecs-cluster', clusterArn, cluster, ctx, region, {});
    const instances = ctx.reader.resource(CONTAINER_INSTANCES, cluster, region);
    if (instances !== undefined) {
      const source = ctx.reader.file(perResource(CONTAINER_INSTANCES, cluster, region));
      const arns = ctx.reader.guard(source, () =>
        strings(obj(instances, 'the document'), 'containerInstanceArns'),
      );
      attribute(clusterResource, 'containerInstances', arns?.length);
    }
    const listed = ctx.reader.resource(SERVICES, cluster, region);
    if (listed === undefined) return [clusterResource];
    const listSource = ctx.reader.file(perResource(SERVICES, cluster, region));
    const arns =
      ctx.reader.guard(listSource, () => strings(obj(listed, 'the document'), 'serviceArns')) ?? [];
    const services = arns.flatMap((serviceArn) => {
      const name = lastSegment(serviceArn);
      const key = serviceDocument(cluster, name);
      const described = ctx.reader.resource(DESCRIBE_SERVICE, key, region);
      if (described === undefined) return [];
      const source = ctx.reader.file(perResource(DESCRIBE_SERVICE, key, region));
      const items = ctx.reader.guard(source, () => arr(obj(described, 'the document'), 'services')) ?? [];
      return ctx.reader.each(items, source, labelBy('services', 'serviceName'), (item) => {
        const arn = str(item, 'serviceArn');
        const service: AwsResourceData = makeResource(
          'ecs-service',
          arn,
          key,
          ctx,
          region,
          tags(item, 'tags'),
        );
        attribute(service, 'clusterArn', clusterArn);
        attribute(service, 'status', optStr(item, 'status'));
        const definition = optStr(item, 'taskDefinition');
        attribute(service, 'taskDefinition', definition);
        const role = definition ? taskRole(ctx, definition, region)?.role : undefined;
        if (role) service.roleArns = [role];
        return service;
      });
    });
    return [clusterResource, ...services];
  });
