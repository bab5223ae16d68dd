// name: search
// description: The explorer's search: nodes the full-text index Entity_search finds for a Lucene query (src/answers/search.ts writes it), most relevant first, checked against the exact filters, one page at an offset into the answer ($options may bound the index's answer when no filter drops hits).
CALL db.index.fulltext.queryNodes('Entity_search', $query, $options) YIELD node AS n, score
WHERE ($category IS NULL OR ($category = 'identity' AND n:Principal) OR ($category = 'resource' AND n:Resource))
  AND ($providers IS NULL OR n.provider IN $providers)
  AND ($kinds IS NULL OR any(label IN labels(n) WHERE label IN $kinds))
  AND ($environments IS NULL OR coalesce(n.environment, 'unknown') IN $environments)
  AND ($nonHuman IS NULL OR n.nonHuman = $nonHuman)
  AND ($owners IS NULL OR n.owner IN $owners)
  AND ($tags IS NULL OR any(tag IN $tags WHERE any(held IN coalesce(n.tags, []) + coalesce(n.labels, [])
       WHERE held = tag OR (NOT tag CONTAINS '=' AND held STARTS WITH tag + '='))))
RETURN properties(n) AS props, labels(n) AS labels, elementId(n) AS elementId, score
SKIP toInteger($offset)
LIMIT toInteger($limit)
