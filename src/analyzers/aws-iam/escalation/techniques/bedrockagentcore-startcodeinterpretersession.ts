import { existingResourceTechnique, pathfinding } from '../builders.js';

export const bedrock002 = existingResourceTechnique({
  id: 'bedrock-002',
  slug: 'bedrockagentcore-startcodeinterpretersession-invokecodeinterpreter',
  name: 'bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter',
  attack: 'T1648',
  description:
    "Uses an existing resource that runs as a role: can run its own code in a Bedrock AgentCore code interpreter, then acts with the role's credentials.",
  references: [
    pathfinding('bedrock-002'),
    {
      title: 'Sonrai: credential exfiltration paths in AWS code interpreters',
      url: 'https://sonraisecurity.com/blog/sandboxed-to-compromised-new-research-exposes-credential-exfiltration-paths-in-aws-code-interpreters/',
    },
  ],
  service: 'bedrock-agentcore.amazonaws.com',
  actions: ['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'],
  resourceLabel: 'a Bedrock AgentCore code interpreter',
  linkSource: 'workload-spec',
  how: 'run its own code in',
});
