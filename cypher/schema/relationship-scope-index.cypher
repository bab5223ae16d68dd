// name: relationship-scope-index
// description: Range index on `scope` per relationship type, so scoped cleanup does not scan every relationship.
CREATE INDEX {{type}}_scope IF NOT EXISTS FOR ()-[r:{{type}}]-() ON (r.scope)
