// name: edge
// description: One relationship by its endpoints and type (an edge id is <from>|<TYPE>|<to>), with both endpoints.
MATCH (a:{{fromLabel}} {id: $from})-[e:{{type}}]->(b:{{toLabel}} {id: $to})
RETURN type(e) AS type, properties(e) AS props, {props: properties(a), labels: labels(a), elementId: elementId(a)} AS from,
       {props: properties(b), labels: labels(b), elementId: elementId(b)} AS to
LIMIT 1
