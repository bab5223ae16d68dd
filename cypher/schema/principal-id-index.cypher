// name: principal-id-index
// description: Identities in id order across every principal kind: global reachability questions page through the summary by walking this index and stop when a page is full.
CREATE INDEX Principal_id IF NOT EXISTS FOR (n:Principal) ON (n.id)
