// name: scope-id-unique
// description: Scopes (accounts, projects, clusters) are looked up by id.
CREATE CONSTRAINT Scope_id_unique IF NOT EXISTS FOR (s:Scope) REQUIRE s.id IS UNIQUE
