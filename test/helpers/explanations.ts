import { createHash } from 'node:crypto';

/**
 * The explanations test's record (test/integration/explanations.test.ts): each answer as a label
 * and a digest of its JSON, so a difference names the edge, route or finding without the record
 * holding megabytes of text. Findings and the report texts are digested with every "(+N more)"
 * taken out (`uncounted`): through a Grant hub a finding used to count the member leg's records
 * only; the count is checked against the evidence apart.
 */

type Json = Record<string, unknown>;

export interface Explanations {
  analyzed: Json[];
  memory: { reach: Json[]; escalations: Json[]; admins: Json[] };
  graph: { reach: Json[]; escalations: Json[]; admins: Json[] };
  administrators: Json[];
  explained: Json[];
  findings: Json[];
  json: string;
  markdown: string;
  html: string;
}

export type Recorded = Record<string, string[]>;

const digest = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** Every "(+N more)" taken out of a value's texts. */
export const uncounted = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value).replace(/ \(\+\d+ more\)/g, '')) as T;

const items = (list: readonly Json[], label: (item: Json) => string, form = (x: Json): unknown => x) =>
  list.map((item) => `${label(item)} ${digest(form(item))}`);

const route = (a: Json) => `${a.principal} > ${a.resource ?? a.target}`;

export function recordOf(e: Explanations): Recorded {
  const out: Recorded = {
    analyzed: items(e.analyzed, (r) => `${r.type} ${r.from} > ${r.to}`),
    administrators: items(e.administrators, (r) => `${r.principal} > ${r.target}`),
    explained: items(e.explained, (r) => String(r.id)),
    findings: items(e.findings, (f) => String(f.fingerprint), uncounted),
    reports: [
      `json ${digest(uncounted(e.json))}`,
      `markdown ${digest(uncounted(e.markdown))}`,
      `html ${digest(uncounted(e.html))}`,
    ],
  };
  for (const where of ['memory', 'graph'] as const)
    for (const question of ['reach', 'escalations', 'admins'] as const)
      out[`${where}.${question}`] = items(e[where][question], route);
  return out;
}
