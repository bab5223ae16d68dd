// name: access-action-set-index
// description: Range index on `actionSet` of access edges, so the cleanup finds whether any edge still names an ActionSet with a seek instead of a scan of every access edge.
CREATE INDEX CAN_ACCESS_actionSet IF NOT EXISTS FOR ()-[r:CAN_ACCESS]-() ON (r.actionSet)
