// name: edge
// description: One relationship by its endpoints and type (an edge id is <from>|<TYPE>|<to>), with both endpoints: the stored edge, or the pair edge a Grant hub stands for (model/grants.ts: the target leg with the member leg's properties as memberProps and the hub's id as grant).
MATCH (a:{{fromLabel}} {id: $from})
MATCH (b:{{toLabel}} {id: $to})
CALL (a, b) {
  MATCH (a)-[e:{{type}}]->(b)
  RETURN e, null AS memberProps, null AS grant
  UNION ALL
  MATCH (a)-[l:{{type}}]->(g:Grant)-[e:{{type}}]->(b)
  RETURN e, properties(l) AS memberProps, g.id AS grant
}
RETURN type(e) AS type, {{include graph/edge-properties}} AS props, {props: properties(a), labels: labels(a), elementId: elementId(a)} AS from,
       {props: properties(b), labels: labels(b), elementId: elementId(b)} AS to, memberProps, grant
LIMIT 1
