// name: resource-environment-index
// description: Path queries end at resources of an environment (production first).
CREATE INDEX Resource_environment IF NOT EXISTS FOR (n:Resource) ON (n.environment)
