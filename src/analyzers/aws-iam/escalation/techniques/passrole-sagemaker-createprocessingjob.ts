import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const sagemaker003PassRole = passRoleTechnique({
  id: 'sagemaker-003',
  slug: 'iam-passrole-sagemaker-createprocessingjob',
  name: 'iam:PassRole + sagemaker:CreateProcessingJob',
  attack: 'T1648',
  description:
    "Passes a role that trusts sagemaker.amazonaws.com to a new SageMaker processing job running its container and runs its own code with the role's credentials.",
  references: [
    pathfinding('sagemaker-003'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS sagemaker privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-sagemaker-privesc.html',
    },
  ],
  service: 'sagemaker.amazonaws.com',
  actions: ['sagemaker:CreateProcessingJob'],
  runs: 'a new SageMaker processing job running its container',
});
