/**
 * The explorer's search over identities and resources: words of a name, an id (ARN, `gcp:sa:…`,
 * `k8s:…`), a provider, an owner or a tag, answered by the full-text index `Entity_search`
 * (cypher/schema/entity-search-index.cypher) with Lucene's query syntax, which this module writes
 * so that user text is never parsed as syntax.
 *
 * Lucene's standard tokenizer splits text at word boundaries (UAX #29: `ci-deploy` → `ci`, `deploy`;
 * `arn:aws:iam::1111:role/x` → `arn:aws:iam`, `1111`, `role`, `x`). Each word the user types must
 * match, either as a phrase in the index's own tokens (an id or a name typed whole) or as prefixes of
 * its letter-and-digit pieces (typing ahead: `ci-dep` finds `ci-deploy`). A name equal to the whole
 * text ranks first. https://lucene.apache.org/core/9_11_1/queryparser/org/apache/lucene/queryparser/classic/package-summary.html
 */

/** Characters the classic query parser treats as syntax. */
const SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

export function escapeLucene(text: string): string {
  return text.replace(SPECIAL, (c) => `\\${c}`);
}

const phrase = (text: string) => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** Letter-and-digit pieces of a word, lower case. */
function pieces(word: string): string[] {
  return word
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((piece) => piece.length > 0);
}

export interface SearchFields {
  provider?: readonly string[] | null;
  owner?: readonly string[] | null;
  /** `key=value`, or `key` for any value. */
  tag?: readonly string[] | null;
}

/**
 * The Lucene query for `text` and the field filters; null when the text has no letter or digit.
 * The filters are also checked exactly after the index answers (the index narrows, Cypher decides).
 */
export function searchQuery(text: string, fields: SearchFields = {}): string | null {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => pieces(w).length > 0);
  if (words.length === 0) return null;
  const clauses = words.map((word) => {
    const prefixes = pieces(word).map((p) => `+${escapeLucene(p)}*`);
    return `+(${phrase(word)} (${prefixes.join(' ')}))`;
  });
  clauses.push(`name:${phrase(text.trim())}^10`);
  const anyOf = (field: string, values: readonly string[] | null | undefined, value = phrase) =>
    values?.length ? [`+(${values.map((v) => `${field}:${value(v)}`).join(' ')})`] : [];
  clauses.push(...anyOf('provider', fields.provider));
  clauses.push(...anyOf('owner', fields.owner));
  if (fields.tag?.length)
    clauses.push(`+(${fields.tag.flatMap((t) => [`tags:${phrase(t)}`, `labels:${phrase(t)}`]).join(' ')})`);
  return clauses.join(' ');
}
