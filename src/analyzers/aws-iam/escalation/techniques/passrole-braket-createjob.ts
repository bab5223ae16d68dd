import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const braket001PassRole = passRoleTechnique({
  id: 'braket-001',
  slug: 'iam-passrole-braket-createjob',
  name: 'iam:PassRole + braket:CreateJob',
  attack: 'T1648',
  description:
    "Passes a role that trusts braket.amazonaws.com to a new Amazon Braket hybrid job running its script and runs its own code with the role's credentials.",
  references: [
    pathfinding('braket-001'),
    PASSROLE_DOC,
    {
      title: 'IAM roles for Amazon Braket',
      url: 'https://docs.aws.amazon.com/braket/latest/developerguide/braket-manage-access.html',
    },
  ],
  service: 'braket.amazonaws.com',
  actions: ['braket:CreateJob'],
  runs: 'a new Amazon Braket hybrid job',
});
