import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const omics001PassRole = passRoleTechnique({
  id: 'omics-001',
  slug: 'iam-passrole-omics-createworkflow-startrun',
  name: 'iam:PassRole + omics:CreateWorkflow + omics:StartRun + s3:GetObject',
  attack: 'T1648',
  description:
    "Passes a role that trusts omics.amazonaws.com to a run of a new HealthOmics workflow that copies the role's credentials to S3, reads them back and acts with them.",
  references: [
    pathfinding('omics-001'),
    PASSROLE_DOC,
    {
      title: 'IAM roles for AWS HealthOmics',
      url: 'https://docs.aws.amazon.com/omics/latest/dev/security-iam-roles.html',
    },
  ],
  service: 'omics.amazonaws.com',
  actions: ['omics:CreateWorkflow', 'omics:StartRun', 's3:GetObject'],
  runs: 'a new HealthOmics workflow run',
});
