import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const sagemaker001PassRole = passRoleTechnique({
  id: 'sagemaker-001',
  slug: 'iam-passrole-sagemaker-createnotebookinstance',
  name: 'iam:PassRole + sagemaker:CreateNotebookInstance',
  attack: 'T1648',
  description:
    "Passes a role that trusts sagemaker.amazonaws.com to a new SageMaker notebook instance, opens its Jupyter terminal and runs its own code with the role's credentials.",
  references: [
    pathfinding('sagemaker-001'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS sagemaker privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-sagemaker-privesc.html',
    },
  ],
  service: 'sagemaker.amazonaws.com',
  actions: ['sagemaker:CreateNotebookInstance'],
  // Opening the notebook (presigned URL or console) is how the code runs; pathfinding.cloud lists it as
  // helpful, not required: a console user reaches the notebook without CreatePresignedNotebookInstanceUrl.
  runs: 'a new SageMaker notebook instance it opens',
});
