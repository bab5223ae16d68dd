import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const apprunner001PassRole = passRoleTechnique({
  id: 'apprunner-001',
  slug: 'iam-passrole-apprunner-createservice',
  name: 'iam:PassRole + apprunner:CreateService',
  attack: 'T1648',
  description:
    "Passes a role that trusts tasks.apprunner.amazonaws.com to a new App Runner service and runs its own code with the role's credentials.",
  references: [
    pathfinding('apprunner-001'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS apprunner privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-apprunner-privesc/index.html',
    },
  ],
  service: 'tasks.apprunner.amazonaws.com',
  actions: ['apprunner:CreateService'],
  runs: 'a new App Runner service',
});
