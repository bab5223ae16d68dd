// name: finding-fingerprint-unique
// description: A finding is the same finding from run to run by its fingerprint; each report merges on it.
CREATE CONSTRAINT Finding_fingerprint_unique IF NOT EXISTS FOR (f:Finding) REQUIRE f.fingerprint IS UNIQUE
