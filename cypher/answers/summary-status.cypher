// name: summary-status
// description: Whether a reachability summary exists and how far it looks: counts of REACHES and CAN_ACCESS relationships (from the count store), the hop bound the summary was computed with, and whether its rows have the shape this version reads (level masks, via codes and minHops).
CALL () { MATCH ()-[x:REACHES]->() RETURN count(x) AS reaches }
CALL () { MATCH ()-[a:CAN_ACCESS]->() RETURN count(a) AS accesses }
CALL () { OPTIONAL MATCH ()-[x:REACHES]->() WITH x LIMIT 1 RETURN x.maxHops AS maxHops, x.levelMask IS NOT NULL AND x.minHops IS NOT NULL AS current }
RETURN reaches, accesses, maxHops, current
