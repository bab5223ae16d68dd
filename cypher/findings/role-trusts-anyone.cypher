// name: role-trusts-anyone
// description: Roles whose trust policy admits any principal (Principal "*"): the (:Public {id: $anyone})-[:CAN_ASSUME]->(role) edge with its evidence, and the analyzer's $flagRule flag on the role for the statement behind it; critical unless the edge holds only under undecided conditions.
MATCH (p:Public {id: $anyone})-[e:CAN_ASSUME]->(role:AwsRole)
OPTIONAL MATCH (role)-[:HAS_FLAG]->(f:AnalysisFlag {rule: $flagRule})
WITH p, e, role, head(collect(f.evidence)) AS flagEvidence, coalesce(e.conditional, false) AS conditional
RETURN {id: role.id, labels: labels(role), name: role.name, scope: role.scope} AS subject,
       null AS target,
       CASE WHEN conditional THEN 'high' ELSE 'critical' END AS severity,
       'role ' + role.name + ' can be assumed by anyone with AWS credentials (Principal "*")'
         + CASE WHEN conditional THEN ' if undecided conditions hold: '
              + reduce(text = '', k IN coalesce(e.conditions, []) | text + CASE WHEN text = '' THEN '' ELSE ', ' END + k)
           ELSE '' END AS message,
       [{from: {id: p.id, labels: labels(p), name: p.name, scope: p.scope},
         to: {id: role.id, labels: labels(role), name: role.name, scope: role.scope},
         type: 'CAN_ASSUME', technique: null, levels: [], reason: e.reason, evidence: e.evidence,
         conditional: conditional}] AS path,
       conditional,
       [role.id] AS ids,
       {conditions: coalesce(e.conditions, []), account: role.accountId} AS facts,
       flagEvidence AS evidence
