// name: role-trusts-anyone
// description: Roles whose trust policy admits any principal (Principal "*"): the (:Public {id: $anyone})-[:CAN_ASSUME]->(role) edge (stored, or through a Grant hub) with its evidence, and the analyzer's $flagRule flag on the role for the statement behind it; critical unless the edge holds only under undecided conditions.
MATCH (p:Public {id: $anyone})
CALL (p) {
  MATCH (p)-[x:CAN_ASSUME]->(role:AwsRole)
  RETURN role, {evidence: x.evidence, conditional: coalesce(x.conditional, false),
                conditions: coalesce(x.conditions, [])} AS e
  UNION ALL
  // Through a Grant hub (model/grants.ts): the pair edge, both legs' evidence (JSON arrays joined).
  MATCH (p)-[m:CAN_ASSUME]->(:Grant)-[x:CAN_ASSUME]->(role:AwsRole)
  RETURN role, {evidence: left(m.evidence, size(m.evidence) - 1) + ',' + substring(x.evidence, 1),
                conditional: coalesce(m.conditional, false) OR coalesce(x.conditional, false),
                conditions: reduce(u = [], c IN coalesce(m.conditions, []) + coalesce(x.conditions, []) |
                                   CASE WHEN c IN u THEN u ELSE u + c END)} AS e
}
OPTIONAL MATCH (role)-[:HAS_FLAG]->(f:AnalysisFlag {rule: $flagRule})
WITH p, e, role, head(collect(f.evidence)) AS flagEvidence, e.conditional AS conditional
RETURN {id: role.id, labels: labels(role), name: role.name, scope: role.scope} AS subject,
       null AS target,
       CASE WHEN conditional THEN 'high' ELSE 'critical' END AS severity,
       'role ' + role.name + ' can be assumed by anyone with AWS credentials (Principal "*")'
         + CASE WHEN conditional THEN ' if undecided conditions hold: '
              + reduce(text = '', k IN coalesce(e.conditions, []) | text + CASE WHEN text = '' THEN '' ELSE ', ' END + k)
           ELSE '' END AS message,
       [{from: {id: p.id, labels: labels(p), name: p.name, scope: p.scope},
         to: {id: role.id, labels: labels(role), name: role.name, scope: role.scope},
         type: 'CAN_ASSUME', technique: null, levels: [], evidence: e.evidence,
         conditional: conditional}] AS path,
       conditional,
       [role.id] AS ids,
       {conditions: coalesce(e.conditions, []), account: role.accountId} AS facts,
       flagEvidence AS evidence
