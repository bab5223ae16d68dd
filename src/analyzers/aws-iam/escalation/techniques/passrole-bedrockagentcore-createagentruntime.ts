import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const bedrock003PassRole = passRoleTechnique({
  id: 'bedrock-003',
  slug: 'iam-passrole-bedrockagentcore-createagentruntime',
  name: 'iam:PassRole + bedrock-agentcore:CreateAgentRuntime + bedrock-agentcore:CreateAgentRuntimeEndpoint + bedrock-agentcore:CreateWorkloadIdentity + bedrock-agentcore:InvokeAgentRuntimeCommand',
  attack: 'T1648',
  description:
    "Passes a role that trusts bedrock-agentcore.amazonaws.com to a new Bedrock AgentCore runtime, runs its own shell commands in it and acts with the role's credentials.",
  references: [
    pathfinding('bedrock-003'),
    PASSROLE_DOC,
    {
      title: 'BeyondTrust: privilege escalation paths in AWS AgentCore',
      url: 'https://www.beyondtrust.com/blog/entry/aws-agentcore-privilege-escalation',
    },
  ],
  service: 'bedrock-agentcore.amazonaws.com',
  actions: [
    'bedrock-agentcore:CreateAgentRuntime',
    'bedrock-agentcore:CreateAgentRuntimeEndpoint',
    'bedrock-agentcore:CreateWorkloadIdentity',
    'bedrock-agentcore:InvokeAgentRuntimeCommand',
  ],
  runs: 'a new Bedrock AgentCore runtime',
});
