// name: edge-actions
// description: Fragment ({{include graph/edge-actions}}, an expression): the action list of the relationship bound to `e`, exactly as the inventory gave it. The loader stores each distinct list once, as an ActionSet node, and the edge names it by `actionSet` (src/model/action-sets.ts); an edge without one (no actions, or written before lists were shared) reads its own `actions`. Every reader of an edge's actions reads them through this fragment.
CASE WHEN e.actionSet IS NULL THEN e.actions
     ELSE head(COLLECT { MATCH (edgeActionSet:ActionSet {id: e.actionSet}) RETURN edgeActionSet.actions }) END
