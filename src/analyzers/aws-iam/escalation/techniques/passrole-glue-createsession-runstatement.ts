import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const glue007PassRole = passRoleTechnique({
  id: 'glue-007',
  slug: 'iam-passrole-glue-createsession-runstatement',
  name: 'iam:PassRole + glue:CreateSession + glue:RunStatement',
  attack: 'T1648',
  description:
    "Passes a role that trusts glue.amazonaws.com to a new Glue interactive session and runs its own Python statements with the role's credentials.",
  references: [
    pathfinding('glue-007'),
    PASSROLE_DOC,
    {
      title: 'AWS Glue interactive sessions with IAM',
      url: 'https://docs.aws.amazon.com/glue/latest/dg/glue-is-security.html',
    },
  ],
  service: 'glue.amazonaws.com',
  actions: ['glue:CreateSession', 'glue:RunStatement'],
  runs: 'a new Glue interactive session',
});
