// name: nhi-administrators
// description: Non-human identities whose effective permissions amount to full control of a scope (ADMINISTERS, stored or through a Grant hub), with the evidence (the message's `{reason}` is the edge's reason, which reachgraph derives from the evidence: src/reports/findings.ts); an account's own root is left out, as it controls its account by definition.
CALL () {
  MATCH (s:Principal {nonHuman: true})-[r:ADMINISTERS]->(a)
  WHERE NOT a:Grant
  RETURN s, a, {evidence: r.evidence, conditional: coalesce(r.conditional, false)} AS x
  UNION ALL
  // Through a Grant hub (model/grants.ts): the pair edge, both legs' evidence (JSON arrays joined).
  MATCH (s:Principal {nonHuman: true})-[m:ADMINISTERS]->(:Grant)-[r:ADMINISTERS]->(a)
  RETURN s, a, {evidence: left(m.evidence, size(m.evidence) - 1) + ',' + substring(r.evidence, 1),
                conditional: coalesce(m.conditional, false) OR coalesce(r.conditional, false)} AS x
}
WITH s, a, x
WHERE NOT (s:AwsAccountRoot AND a:AwsAccount AND split(s.id, ':')[4] = split(a.id, ':')[2])
WITH s, a, x, x.conditional AS conditional
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       {id: a.id, labels: labels(a), name: a.name, scope: a.scope} AS target,
       CASE WHEN conditional THEN 'medium' ELSE null END AS severity,
       s.name + ' (' + coalesce(s.nhiType, 'non-human') + ') is administrator of ' + coalesce(a.name, a.id)
         + CASE WHEN conditional THEN ' when undecided conditions hold' ELSE '' END + ': {reason}' AS message,
       [{from: {id: s.id, labels: labels(s), name: s.name, scope: s.scope},
         to: {id: a.id, labels: labels(a), name: a.name, scope: a.scope},
         type: 'ADMINISTERS', technique: null, levels: [], evidence: x.evidence,
         conditional: conditional}] AS path,
       conditional,
       [s.id, a.id] AS ids,
       {nhiType: s.nhiType, environment: coalesce(s.environment, 'unknown')} AS facts
