// name: nhi-reaches-production-conditional
// description: Non-human identities whose strongest access to a production resource holds only under conditions that could not be decided offline (MFA, source IP, tags…): per REACHES row from a non-human principal to a production resource, the strongest level any route grants when no unconditional route grants it (or anything at all), with the shortest route granting it (ties broken by node ids) and the undecided condition keys. Listed apart from the unconditional paths, never dropped.
MATCH (s:Principal {nonHuman: true})-[x:REACHES]->(r:Resource {environment: 'production'})
// The levels any route grants: REACHES.allLevelMask, bit i = the i-th of list/read/write/permissions/tagging.
WITH s, r, x, [i IN range(0, 4) WHERE (x.allLevelMask / [1, 2, 4, 8, 16][i]) % 2 = 1
                | ['list', 'read', 'write', 'permissions', 'tagging'][i]] AS reachable
CALL (s, r, x, reachable) {
  UNWIND range(0, 4) AS rank
  WITH rank, ['permissions', 'write', 'read', 'tagging', 'list'][rank] AS level
  WHERE level IN reachable
  CALL (s, r, x, level) {
    OPTIONAL MATCH p = SHORTEST 1 (s)
      (()-[h:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE WHERE NOT coalesce(h.conditional, false)]->()){0,12}
      (:Principal)-[a:CAN_ACCESS WHERE NOT coalesce(a.conditional, false) AND level IN a.levels]->(r)
    WHERE length(p) <= coalesce(x.maxHops, 6) + 1
    RETURN p IS NOT NULL AS unconditional
  }
  WITH rank WHERE unconditional
  RETURN min(rank) AS unconditionalRank
}
CALL (s, r, x, reachable, unconditionalRank) {
  // Only levels stronger than what an unconditional route already grants: those need a condition.
  UNWIND range(0, coalesce(unconditionalRank, 5) - 1) AS rank
  WITH rank, ['permissions', 'write', 'read', 'tagging', 'list'][rank] AS level
  WHERE level IN reachable
  CALL (s, r, x, level) {
    OPTIONAL MATCH p = ALL SHORTEST (s)
      (()-[h:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE]->()){0,12}
      (:Principal)-[a:CAN_ACCESS WHERE level IN a.levels]->(r)
    WHERE length(p) <= coalesce(x.maxHops, 6) + 1
    WITH p ORDER BY reduce(key = '', rel IN relationships(p) | key + endNode(rel).id + ' ' + type(rel) + ' ')
    LIMIT 1
    RETURN p
  }
  WITH rank, level, p WHERE p IS NOT NULL
  RETURN level, p ORDER BY rank LIMIT 1
}
WITH s, r, x, level, relationships(p) AS rels,
     CASE WHEN unconditionalRank IS NULL THEN null ELSE ['permissions', 'write', 'read', 'tagging', 'list'][unconditionalRank] END AS unconditionalLevel
WITH s, r, x, level, rels, unconditionalLevel,
     reduce(keys = [], rel IN rels | keys + [k IN coalesce(rel.conditions, []) WHERE NOT k IN keys]) AS conditions
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS target,
       CASE WHEN level IN ['permissions', 'write'] THEN 'medium' ELSE 'low' END AS severity,
       s.name + ' can ' + CASE level WHEN 'permissions' THEN 'change permissions of' WHEN 'tagging' THEN 'tag' ELSE level END
         + ' ' + r.name + ' (production, sensitivity ' + coalesce(r.sensitivity, 'unknown') + ') only if '
         + CASE WHEN size(conditions) = 0 THEN 'undecided conditions hold'
                ELSE 'conditions on ' + reduce(text = '', k IN conditions | text + CASE WHEN text = '' THEN '' ELSE ', ' END + k) + ' hold' END AS message,
       [rel IN rels | {from: {id: startNode(rel).id, labels: labels(startNode(rel)), name: startNode(rel).name, scope: startNode(rel).scope},
                       to: {id: endNode(rel).id, labels: labels(endNode(rel)), name: endNode(rel).name, scope: endNode(rel).scope},
                       type: type(rel), technique: rel.technique, levels: coalesce(rel.levels, []), reason: rel.reason,
                       evidence: rel.evidence, conditional: coalesce(rel.conditional, false)}] AS path,
       true AS conditional,
       [s.id, r.id] AS ids,
       {level: level, unconditionalLevel: unconditionalLevel, conditions: conditions, hops: size(rels) - 1,
        sensitivity: coalesce(r.sensitivity, 'unknown')} AS facts
