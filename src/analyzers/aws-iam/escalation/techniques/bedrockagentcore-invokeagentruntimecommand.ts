import { existingResourceTechnique, pathfinding } from '../builders.js';

export const bedrock004 = existingResourceTechnique({
  id: 'bedrock-004',
  slug: 'bedrockagentcore-invokeagentruntimecommand',
  name: 'bedrock-agentcore:InvokeAgentRuntimeCommand',
  attack: 'T1651',
  description:
    "Uses an existing resource that runs as a role: can run shell commands as root in a Bedrock AgentCore runtime or harness (IAM inbound auth), then acts with the role's credentials.",
  references: [
    pathfinding('bedrock-004'),
    {
      title: 'BeyondTrust: privilege escalation paths in AWS AgentCore',
      url: 'https://www.beyondtrust.com/blog/entry/aws-agentcore-privilege-escalation',
    },
  ],
  service: 'bedrock-agentcore.amazonaws.com',
  actions: ['bedrock-agentcore:InvokeAgentRuntimeCommand'],
  resourceLabel: 'a Bedrock AgentCore runtime or harness',
  linkSource: 'workload-spec',
  how: 'run shell commands in',
});
