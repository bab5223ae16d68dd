// name: entity-search-index
// description: The explorer's search: one full-text (Lucene) index over identities and resources by name, id, provider, owner, tags and labels (`key=value` strings), case-insensitive and tokenized on punctuation, so a word of an ARN, a name or a tag finds the node without scanning every node.
CREATE FULLTEXT INDEX Entity_search IF NOT EXISTS FOR (n:Principal|Resource) ON EACH [n.name, n.id, n.provider, n.owner, n.tags, n.labels] OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-no-stop-words' } }
