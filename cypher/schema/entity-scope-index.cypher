// name: entity-scope-index
// description: Every inventory node also carries the label Entity; this index on its scope lets scoped cleanup find a scope's nodes in one query.
CREATE INDEX Entity_scope IF NOT EXISTS FOR (n:Entity) ON (n.scope)
