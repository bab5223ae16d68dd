// name: node-id-unique
// description: One uniqueness constraint (and so one index) on `id` per node kind; applied for every kind in the vocabulary.
CREATE CONSTRAINT {{label}}_id_unique IF NOT EXISTS FOR (n:{{label}}) REQUIRE n.id IS UNIQUE
