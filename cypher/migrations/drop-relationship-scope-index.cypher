// name: drop-relationship-scope-index
// description: Drop the per-type index on relationships' `scope` that stores written before cleanup found stale relationships from the scopes' nodes still hold: it made every write of a relationship decode all of its properties.
DROP INDEX {{type}}_scope IF EXISTS
