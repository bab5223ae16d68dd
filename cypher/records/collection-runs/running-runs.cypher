// name: running-runs
// description: Collection runs still marked running, with the host and pid of the process that started them.
MATCH (r:CollectionRun) WHERE r.status = 'running'
RETURN r.id AS id, r.host AS host, r.pid AS pid
