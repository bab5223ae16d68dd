import { existingResourceTechnique, pathfinding, RHINO } from '../builders.js';

export const glue002 = existingResourceTechnique({
  id: 'glue-002',
  slug: 'glue-updatedevendpoint',
  name: 'glue:UpdateDevEndpoint',
  attack: 'T1098.004',
  description:
    "Uses an existing resource that runs as a role: can add its SSH key to a Glue development endpoint, then acts with the role's credentials.",
  references: [
    pathfinding('glue-002'),
    RHINO,
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-glue-privesc.html',
    },
  ],
  service: 'glue.amazonaws.com',
  resourceType: 'glue-dev-endpoint',
  collectedKey: 'glue-get-dev-endpoints',
  actions: ['glue:UpdateDevEndpoint'],
  resourceLabel: 'a Glue development endpoint',
  linkSource: 'workload-spec',
  how: 'add its SSH key to',
});
