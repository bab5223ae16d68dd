import { PASSROLE_DOC, passRoleTechnique, pathfinding, RHINO } from '../builders.js';

export const datapipeline001PassRole = passRoleTechnique({
  id: 'datapipeline-001',
  slug: 'iam-passrole-datapipeline-createpipeline',
  name: 'iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition + datapipeline:ActivatePipeline',
  attack: 'T1078.004',
  description:
    "Passes a role that trusts datapipeline.amazonaws.com to a new Data Pipeline whose activity runs shell commands and runs its own code with the role's credentials.",
  references: [
    pathfinding('datapipeline-001'),
    RHINO,
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS datapipeline privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-datapipeline-codepipeline-codebuild-and-codecommit.html',
    },
  ],
  service: 'datapipeline.amazonaws.com',
  actions: [
    'datapipeline:CreatePipeline',
    'datapipeline:PutPipelineDefinition',
    'datapipeline:ActivatePipeline',
  ],
  runs: 'a new Data Pipeline whose activity runs shell commands',
});
