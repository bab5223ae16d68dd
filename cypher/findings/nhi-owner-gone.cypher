// name: nhi-owner-gone
// description: Non-human identities owned by a person (an email address) whom no human identity of the collected estate stands for: no human principal has that email, that name or the email's local part as its name, or an `email` tag with it. Compared without case.
OPTIONAL MATCH (h:Principal {nonHuman: false})
WITH collect(toLower(h.email)) + collect(toLower(h.name))
     + reduce(acc = [], t IN collect(coalesce(h.tags, [])) |
         acc + [x IN t WHERE toLower(x) STARTS WITH 'email=' | toLower(substring(x, 6))]) AS known
MATCH (s:Principal {nonHuman: true})
WHERE s.ownerType = 'person' AND s.owner CONTAINS '@' AND NOT s.owner STARTS WITH '@'
WITH s, known, toLower(s.owner) AS owner
WHERE NOT owner IN known AND NOT split(owner, '@')[0] IN known
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       null AS target,
       null AS severity,
       s.name + ' is owned by ' + s.owner + ', who has no identity in the collected estate (' + s.ownerSource + ')' AS message,
       [] AS path,
       false AS conditional,
       [s.id, owner] AS ids,
       {owner: s.owner, ownerSource: s.ownerSource, ownerConfidence: s.ownerConfidence} AS facts
