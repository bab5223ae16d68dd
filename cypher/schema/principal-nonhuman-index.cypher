// name: principal-nonhuman-index
// description: Path queries start from non-human principals.
CREATE INDEX Principal_nonHuman IF NOT EXISTS FOR (n:Principal) ON (n.nonHuman)
