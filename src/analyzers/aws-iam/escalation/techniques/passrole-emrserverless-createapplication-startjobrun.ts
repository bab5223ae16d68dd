import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const emrserverless001PassRole = passRoleTechnique({
  id: 'emrserverless-001',
  slug: 'iam-passrole-emrserverless-createapplication-startjobrun',
  name: 'iam:PassRole + emr-serverless:CreateApplication + emr-serverless:StartJobRun',
  attack: 'T1648',
  description:
    "Passes a role that trusts emr-serverless.amazonaws.com as execution role of a job run on a new EMR Serverless application and runs its own code with the role's credentials.",
  references: [
    pathfinding('emrserverless-001'),
    PASSROLE_DOC,
    {
      title: 'IAM roles for EMR Serverless',
      url: 'https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-role.html',
    },
  ],
  service: 'emr-serverless.amazonaws.com',
  actions: ['emr-serverless:CreateApplication', 'emr-serverless:StartJobRun'],
  runs: 'a new EMR Serverless job run',
});
