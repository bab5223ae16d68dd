// name: activity-pair-use
// description: Fragment of the unused rules (included, never run alone): with `p` bound, every access, assume, federation and impersonation pair edge of `p` as `t` (its target) and `pair` (type, levels, actions, evidence, conditional, used; the reason is derived from the evidence when read, src/model/validate.ts evidenceReason): a stored edge, or through a Grant hub the pair it stands for (model/grants.ts: the target leg's properties, both legs' evidence, conditional if either leg is, used when the member leg's record of the targets it used names `t`; pairUse). `used` is null where no log covers `p`.
CALL (p) {
  MATCH (p)-[e:CAN_ACCESS|CAN_ASSUME|FEDERATES_TO|CAN_IMPERSONATE]->(t:Entity)
  WHERE NOT t:Grant
  RETURN t, {type: type(e), levels: e.levels, actions: {{include graph/edge-actions}}, evidence: e.evidence,
             conditional: coalesce(e.conditional, false), used: e.used} AS pair
  UNION ALL
  MATCH (p)-[m:CAN_ACCESS|CAN_ASSUME|FEDERATES_TO|CAN_IMPERSONATE]->(:Grant)-[e]->(t:Entity)
  WHERE type(e) = type(m)
  RETURN t, {type: type(e), levels: e.levels, actions: {{include graph/edge-actions}},
             evidence: CASE WHEN m.evidence IS NULL THEN e.evidence WHEN e.evidence IS NULL THEN m.evidence
                            ELSE left(m.evidence, size(m.evidence) - 1) + ',' + substring(e.evidence, 1) END,
             conditional: coalesce(m.conditional, false) OR coalesce(e.conditional, false),
             used: CASE WHEN m.used IS NULL THEN null ELSE t.id IN coalesce(m.usedTargets, []) END} AS pair
}
