import { existingResourceTechnique, pathfinding } from '../builders.js';

export const sagemaker005 = existingResourceTechnique({
  id: 'sagemaker-005',
  slug: 'sagemaker-createnotebookinstancelifecycleconfig-updatenotebookinstance',
  name: 'sagemaker:CreateNotebookInstanceLifecycleConfig + sagemaker:StopNotebookInstance + sagemaker:UpdateNotebookInstance + sagemaker:StartNotebookInstance',
  attack: 'T1648',
  description:
    "Uses an existing resource that runs as a role: can attach its own lifecycle configuration to a SageMaker notebook instance and restart it, then acts with the role's credentials.",
  references: [
    pathfinding('sagemaker-005'),
    {
      title: 'Plerion: privilege escalation with SageMaker execution roles',
      url: 'https://www.plerion.com/blog/privilege-escalation-with-sagemaker-and-execution-roles',
    },
  ],
  // The lifecycle configuration is a resource of its own (notebook-instance-lifecycle-config), not the notebook.
  service: 'sagemaker.amazonaws.com',
  resourceType: 'sagemaker-notebook',
  collectedKey: 'sagemaker-list-notebook-instances',
  actions: [
    'sagemaker:UpdateNotebookInstance',
    'sagemaker:StopNotebookInstance',
    'sagemaker:StartNotebookInstance',
  ],
  elsewhere: ['sagemaker:CreateNotebookInstanceLifecycleConfig'],
  resourceLabel: 'a SageMaker notebook instance',
  linkSource: 'workload-spec',
  how: 'attach its own start-up script to and restart',
});
