import { existingResourceTechnique, pathfinding } from '../builders.js';

export const codebuild002 = existingResourceTechnique({
  id: 'codebuild-002',
  slug: 'codebuild-startbuild',
  name: 'codebuild:StartBuild',
  attack: 'T1648',
  description:
    "Uses an existing resource that runs as a role: can start a build with its own buildspec of a CodeBuild project, then acts with the role's credentials.",
  references: [
    pathfinding('codebuild-002'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-codebuild-privesc/index.html',
    },
  ],
  service: 'codebuild.amazonaws.com',
  resourceType: 'codebuild-project',
  collectedKey: 'codebuild-list-projects',
  actions: ['codebuild:StartBuild'],
  resourceLabel: 'a CodeBuild project',
  linkSource: 'workload-spec',
  how: 'start a build with its own buildspec of',
});
