import { existingResourceTechnique, pathfinding } from '../builders.js';

export const sagemaker004 = existingResourceTechnique({
  id: 'sagemaker-004',
  slug: 'sagemaker-createpresignednotebookinstanceurl',
  name: 'sagemaker:CreatePresignedNotebookInstanceUrl',
  attack: 'T1648',
  description:
    "Uses an existing resource that runs as a role: can open the Jupyter console of a SageMaker notebook instance, then acts with the role's credentials.",
  references: [
    pathfinding('sagemaker-004'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-sagemaker-privesc.html',
    },
  ],
  service: 'sagemaker.amazonaws.com',
  resourceType: 'sagemaker-notebook',
  collectedKey: 'sagemaker-list-notebook-instances',
  actions: ['sagemaker:CreatePresignedNotebookInstanceUrl'],
  resourceLabel: 'a SageMaker notebook instance',
  linkSource: 'workload-spec',
  how: 'open the Jupyter console of',
});
