// name: node-scope-index
// description: Range index on `scope` per node kind, so scoped cleanup does not scan the whole label.
CREATE INDEX {{label}}_scope IF NOT EXISTS FOR (n:{{label}}) ON (n.scope)
