import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const sagemaker002PassRole = passRoleTechnique({
  id: 'sagemaker-002',
  slug: 'iam-passrole-sagemaker-createtrainingjob',
  name: 'iam:PassRole + sagemaker:CreateTrainingJob',
  attack: 'T1648',
  description:
    "Passes a role that trusts sagemaker.amazonaws.com to a new SageMaker training job running its container and runs its own code with the role's credentials.",
  references: [
    pathfinding('sagemaker-002'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS sagemaker privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-sagemaker-privesc.html',
    },
  ],
  service: 'sagemaker.amazonaws.com',
  actions: ['sagemaker:CreateTrainingJob'],
  runs: 'a new SageMaker training job running its container',
});
