import { existingResourceTechnique, pathfinding } from '../builders.js';

export const codedeploy001 = existingResourceTechnique({
  id: 'codedeploy-001',
  slug: 'codedeploy-createdeployment',
  name: 'codedeploy:CreateDeployment + codedeploy:RegisterApplicationRevision + codedeploy:GetDeploymentConfig',
  attack: 'T1072',
  description:
    "Uses an existing resource that runs as a role: can deploy its own revision (lifecycle hook script) to the EC2 instances of a CodeDeploy deployment group, then acts with the instance role's credentials.",
  references: [
    pathfinding('codedeploy-001'),
    {
      title: 'AWS CodeDeploy permissions reference',
      url: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/auth-and-access-control-permissions-reference.html',
    },
  ],
  // Deployment groups are not collected, so which instances a group targets is unknown: the edge goes to
  // every role an instance could run as, with what must exist.
  service: 'ec2.amazonaws.com',
  actions: [
    'codedeploy:CreateDeployment',
    'codedeploy:RegisterApplicationRevision',
    'codedeploy:GetDeploymentConfig',
  ],
  resourceLabel: 'an EC2 instance in a CodeDeploy deployment group',
  linkSource: 'instance-profile',
  how: 'deploy its own lifecycle hook script to',
});
