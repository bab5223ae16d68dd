import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const bedrock001PassRole = passRoleTechnique({
  id: 'bedrock-001',
  slug: 'iam-passrole-bedrockagentcore-createcodeinterpreter',
  name: 'iam:PassRole + bedrock-agentcore:CreateCodeInterpreter + bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter',
  attack: 'T1648',
  description:
    "Passes a role that trusts bedrock-agentcore.amazonaws.com to a new Bedrock AgentCore code interpreter and runs its own code with the role's credentials.",
  references: [
    pathfinding('bedrock-001'),
    PASSROLE_DOC,
    {
      title: 'Amazon Bedrock AgentCore code interpreter',
      url: 'https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/code-interpreter-tool.html',
    },
  ],
  service: 'bedrock-agentcore.amazonaws.com',
  actions: [
    'bedrock-agentcore:CreateCodeInterpreter',
    'bedrock-agentcore:StartCodeInterpreterSession',
    'bedrock-agentcore:InvokeCodeInterpreter',
  ],
  runs: 'a new Bedrock AgentCore code interpreter',
});
