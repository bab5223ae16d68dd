// name: action-set-id-unique
// description: ActionSet nodes (the distinct action lists of access edges, src/model/action-sets.ts) are merged and looked up by id, their content address.
CREATE CONSTRAINT ActionSet_id_unique IF NOT EXISTS FOR (s:ActionSet) REQUIRE s.id IS UNIQUE
