import { existingResourceTechnique, pathfinding } from '../builders.js';

export const bedrock007 = existingResourceTechnique({
  id: 'bedrock-007',
  slug: 'bedrockagentcore-startbrowsersession-connectbrowserautomationstream',
  name: 'bedrock-agentcore:StartBrowserSession + bedrock-agentcore:ConnectBrowserAutomationStream',
  attack: 'T1648',
  description:
    "Uses an existing resource that runs as a role: can drive a Bedrock AgentCore custom browser over its automation stream to read the role's credentials, then acts with them.",
  references: [
    pathfinding('bedrock-007'),
    {
      title: 'BeyondTrust: privilege escalation paths in AWS AgentCore',
      url: 'https://www.beyondtrust.com/blog/entry/aws-agentcore-privilege-escalation',
    },
  ],
  service: 'bedrock-agentcore.amazonaws.com',
  actions: ['bedrock-agentcore:StartBrowserSession', 'bedrock-agentcore:ConnectBrowserAutomationStream'],
  resourceLabel: 'a Bedrock AgentCore custom browser',
  linkSource: 'workload-spec',
  how: 'drive the automation stream of',
});
