// name: edge-properties
// description: Fragment ({{include graph/edge-properties}}, an expression): the properties of the relationship bound to `e` as readers know them, `properties(e)` with its action list in `actions` (resolved through graph/edge-actions from the ActionSet node the edge names by `actionSet`, which stays in the map). Every reader that returns a whole access edge's properties returns them through this fragment.
CASE WHEN e.actionSet IS NULL THEN properties(e)
     ELSE e {.*, actions: {{include graph/edge-actions}}} END
