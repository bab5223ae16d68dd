import { BatchGetProjectsCommand, CodeBuildClient, paginateListProjects } from '@aws-sdk/client-codebuild';
import { arr, isObj, type Obj, optStr, ShapeError, strings, tags } from '../documents.js';
import { allPages, record } from '../live-calls.js';
import { type AwsService, builtArn, makeResource, perRegion, type RegionalReader } from './service.js';

const LIST = 'codebuild-list-projects';
const DETAILS = 'codebuild-batch-get-projects';
/** BatchGetProjects takes at most 100 names per call. */
const BATCH = 100;

/** CodeBuild projects and their service roles. */
export const codebuild: AwsService = {
  name: 'codebuild',
  placement: 'region',
  snapshot: { documents: [LIST, DETAILS], perResource: [] },
  resources: [{ type: 'codebuild-project', kind: 'AwsCodeBuildProject', holds: 'workload' }],

  async collect({ scope, config, at }) {
    const client = new CodeBuildClient(config);
    const projects = (await record(scope, at(LIST), () => allPages(paginateListProjects({ client }, {})))) as
      | { projects?: string[] }
      | undefined;
    const names = projects?.projects ?? [];
    if (names.length === 0) return;
    await record(scope, at(DETAILS), async () => {
      const found: unknown[] = [];
      for (let i = 0; i < names.length; i += BATCH) {
        const page = await client.send(new BatchGetProjectsCommand({ names: names.slice(i, i + BATCH) }));
        found.push(...(page.projects ?? []));
      }
      return { projects: found };
    });
  },

  transform: (ctx) => perRegion(ctx, LIST, projects),
};

const projects: RegionalReader = (ctx, document, source, region) => {
  const names = strings(document, 'projects');
  const batch = ctx.reader.get(DETAILS, region);
  const details = new Map<string, Obj>();
  if (isObj(batch)) {
    for (const project of arr(batch, 'projects')) {
      if (isObj(project) && typeof project.name === 'string') details.set(project.name, project);
    }
  }
  return names.flatMap((name) => {
    const detail = details.get(name);
    try {
      const arn =
        (detail ? optStr(detail, 'arn') : undefined) ??
        builtArn(ctx, 'codebuild', region, `project/${name}`, source);
      const project = makeResource(
        'codebuild-project',
        arn,
        name,
        ctx,
        region,
        detail ? tags(detail, 'tags') : {},
      );
      const role = detail ? optStr(detail, 'serviceRole') : undefined;
      if (role) project.roleArns = [role];
      return [project];
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      ctx.reader.issue('error', source, `project ${name}: ${error.message}`, name);
      return [];
    }
  });
};
