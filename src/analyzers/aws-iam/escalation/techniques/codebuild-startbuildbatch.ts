import { existingResourceTechnique, pathfinding } from '../builders.js';

export const codebuild003 = existingResourceTechnique({
  id: 'codebuild-003',
  slug: 'codebuild-startbuildbatch',
  name: 'codebuild:StartBuildBatch',
  attack: 'T1648',
  description:
    "Uses an existing resource that runs as a role: can start a batch build with its own buildspec of a CodeBuild project, then acts with the role's credentials.",
  references: [
    pathfinding('codebuild-003'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-codebuild-privesc/index.html',
    },
  ],
  service: 'codebuild.amazonaws.com',
  resourceType: 'codebuild-project',
  collectedKey: 'codebuild-list-projects',
  actions: ['codebuild:StartBuildBatch'],
  resourceLabel: 'a CodeBuild project',
  linkSource: 'workload-spec',
  how: 'start a batch build with its own buildspec of',
});
