// name: finding-sort-key-index
// description: The findings API pages through findings in report order (severity, rule, subject) by this key.
CREATE INDEX Finding_sortKey IF NOT EXISTS FOR (f:Finding) ON (f.sortKey)
