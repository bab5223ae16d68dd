// name: gcp-public-data
// description: GCP data resources that allUsers (anyone on the internet) or allAuthenticatedUsers (anyone with a Google account) may act on: the CAN_ACCESS edge of the Public node the binding names (src/analyzers/gcp-iam/principals.ts), stored or through the Grant hub of a folder or organization binding, with the binding as evidence. Critical when anyone reaches the data (read, write, permissions) with no undecided condition, high for metadata only or allAuthenticatedUsers, medium when conditional.
CALL () {
  MATCH (p:Public)-[e:CAN_ACCESS]->(r)
  WHERE p.id IN ['public:gcp:allUsers', 'public:gcp:allAuthenticatedUsers'] AND NOT r:Grant
  RETURN p, r, {levels: e.levels, evidence: e.evidence, conditional: coalesce(e.conditional, false)} AS a
  UNION ALL
  // A binding on a folder or the organization, through its Grant hub (model/grants.ts): the pair
  // edge, the target leg's levels, both legs' evidence (JSON arrays joined).
  MATCH (p:Public)-[m:CAN_ACCESS]->(:Grant)-[e:CAN_ACCESS]->(r)
  WHERE p.id IN ['public:gcp:allUsers', 'public:gcp:allAuthenticatedUsers']
  RETURN p, r, {levels: e.levels,
                evidence: left(m.evidence, size(m.evidence) - 1) + ',' + substring(e.evidence, 1),
                conditional: coalesce(m.conditional, false) OR coalesce(e.conditional, false)} AS a
}
WITH p, a, r, a.conditional AS conditional,
     [l IN coalesce(a.levels, []) WHERE l IN ['read', 'write', 'permissions']] AS dataLevels,
     CASE p.id WHEN 'public:gcp:allUsers' THEN 'allUsers' ELSE 'allAuthenticatedUsers' END AS member
RETURN {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS subject,
       {id: p.id, labels: labels(p), name: p.name, scope: p.scope} AS target,
       CASE WHEN conditional THEN 'medium'
            WHEN member = 'allUsers' AND size(dataLevels) > 0 THEN 'critical'
            ELSE null END AS severity,
       r.name + ' is open to ' + member + ' (' + CASE member WHEN 'allUsers' THEN 'anyone on the internet'
                                                  ELSE 'anyone with a Google account' END + '): '
         + reduce(s = '', l IN coalesce(a.levels, []) | s + CASE WHEN s = '' THEN '' ELSE ', ' END + l)
         + CASE WHEN conditional THEN ', when undecided conditions hold' ELSE '' END AS message,
       [{from: {id: p.id, labels: labels(p), name: p.name, scope: p.scope},
         to: {id: r.id, labels: labels(r), name: r.name, scope: r.scope},
         type: 'CAN_ACCESS', technique: null, levels: coalesce(a.levels, []), evidence: a.evidence,
         conditional: conditional}] AS path,
       conditional,
       [r.id, p.id] AS ids,
       {member: member, levels: coalesce(a.levels, []), environment: coalesce(r.environment, 'unknown'),
        sensitivity: r.sensitivity} AS facts
