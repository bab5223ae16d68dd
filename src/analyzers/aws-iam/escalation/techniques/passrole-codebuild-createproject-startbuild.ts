import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const codebuild001PassRole = passRoleTechnique({
  id: 'codebuild-001',
  slug: 'iam-passrole-codebuild-createproject-startbuild',
  name: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuild',
  attack: 'T1648',
  description:
    "Passes a role that trusts codebuild.amazonaws.com to a new CodeBuild project whose buildspec it writes and runs its own code with the role's credentials.",
  references: [
    pathfinding('codebuild-001'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS codebuild privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-codebuild-privesc/index.html',
    },
  ],
  service: 'codebuild.amazonaws.com',
  actions: ['codebuild:CreateProject', 'codebuild:StartBuild'],
  runs: 'a new CodeBuild project whose buildspec it writes',
});
