import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const codebuild004PassRole = passRoleTechnique({
  id: 'codebuild-004',
  slug: 'iam-passrole-codebuild-createproject-startbuildbatch',
  name: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuildBatch',
  attack: 'T1648',
  description:
    "Passes a role that trusts codebuild.amazonaws.com to a new CodeBuild project run as a batch build and runs its own code with the role's credentials.",
  references: [
    pathfinding('codebuild-004'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS codebuild privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-codebuild-privesc/index.html',
    },
  ],
  service: 'codebuild.amazonaws.com',
  actions: ['codebuild:CreateProject', 'codebuild:StartBuildBatch'],
  runs: 'a new CodeBuild project run as a batch build',
});
