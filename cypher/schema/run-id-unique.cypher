// name: run-id-unique
// description: Collection runs are looked up by id.
CREATE CONSTRAINT CollectionRun_id_unique IF NOT EXISTS FOR (r:CollectionRun) REQUIRE r.id IS UNIQUE
