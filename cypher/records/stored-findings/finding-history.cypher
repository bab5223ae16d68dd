// name: finding-history
// description: When the store first saw each of these fingerprints.
UNWIND $fingerprints AS fingerprint
MATCH (f:Finding {fingerprint: fingerprint})
RETURN f.fingerprint AS fingerprint, f.firstSeen AS firstSeen
