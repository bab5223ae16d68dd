// name: search
// description: The explorer's search: nodes the full-text index Entity_search finds for a Lucene query (src/answers/search.ts writes it), most relevant first, checked against the exact filters and a scoped token's units (`$who.within`, the same fragment as every answer), one page at an offset into the answer ($options may bound the index's answer when no filter drops hits).
CALL db.index.fulltext.queryNodes('Entity_search', $query, $options) YIELD node AS s, score
WHERE ($category IS NULL OR ($category = 'identity' AND s:Principal) OR ($category = 'resource' AND s:Resource))
  AND ($providers IS NULL OR s.provider IN $providers)
  AND ($kinds IS NULL OR any(label IN labels(s) WHERE label IN $kinds))
  AND ($environments IS NULL OR coalesce(s.environment, 'unknown') IN $environments)
  AND ($nonHuman IS NULL OR s.nonHuman = $nonHuman)
  AND ($owners IS NULL OR s.owner IN $owners)
  AND ($tags IS NULL OR any(tag IN $tags WHERE any(held IN coalesce(s.tags, []) + coalesce(s.labels, [])
       WHERE held = tag OR (NOT tag CONTAINS '=' AND held STARTS WITH tag + '='))))
  AND {{include answers/within-who}}
RETURN properties(s) AS props, labels(s) AS labels, elementId(s) AS elementId, score
SKIP toInteger($offset)
LIMIT toInteger($limit)
