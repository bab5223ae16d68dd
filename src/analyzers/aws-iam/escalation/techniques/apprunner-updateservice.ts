import { existingResourceTechnique, pathfinding } from '../builders.js';

export const apprunner002 = existingResourceTechnique({
  id: 'apprunner-002',
  slug: 'apprunner-updateservice',
  name: 'apprunner:UpdateService',
  attack: 'T1610',
  description:
    "Uses an existing resource that runs as a role: can redeploy an App Runner service with its own image or start command, then acts with the role's credentials.",
  references: [
    pathfinding('apprunner-002'),
    {
      title: 'Appsecco: shell and data access in AWS App Runner',
      url: 'https://blog.appsecco.com/getting-shell-and-data-access-in-aws-app-runner-3632e844bc77',
    },
  ],
  service: 'tasks.apprunner.amazonaws.com',
  actions: ['apprunner:UpdateService'],
  resourceLabel: 'an App Runner service',
  linkSource: 'workload-spec',
  how: 'redeploy its own image on',
});
