import { createHash } from 'node:crypto';
import type { Evidence } from './evidence.js';
import type { InventoryNode, InventoryRelationship } from './inventory.js';
import { FLAG_SEVERITIES, type FlagSeverity } from './properties.js';

/**
 * Analysis flags: what an analyzer noticed about a node besides edges (a trust admitting anyone, a
 * wildcard OIDC subject, a public resource policy…), stored as an `AnalysisFlag` node with
 * `(subject)-[:HAS_FLAG]->(flag)`, so report rules (Cypher) can read them like any other fact.
 * A flag belongs to its subject's scope: it is refreshed and cleaned with the subject's account.
 */

export const ANALYSIS_FLAG_KIND = 'AnalysisFlag';
export const HAS_FLAG = 'HAS_FLAG';

/** What an analyzer noticed about a node besides edges (wildcard trust, invalid policy…): stored as a flag. */
export interface AnalysisFinding {
  rule: string;
  severity: FlagSeverity;
  /** Graph id of the node the finding is about. */
  subject: string;
  message: string;
  evidence: Evidence[];
}

/** What the flag needs to know about its subject node. */
export interface FlagSubject {
  scope?: string | undefined;
  provider?: string | undefined;
  name?: string | undefined;
}

export interface AnalysisFlagRecords {
  nodes: InventoryNode[];
  relationships: InventoryRelationship[];
  /** Findings that could not be attached, with why (their subject is not a node of the inventory…). */
  unattached: { finding: AnalysisFinding; reason: string }[];
}

/**
 * `flag:<rule>:<subject id>:<hash>`: the same rule saying the same thing about the same node gets
 * the same id on every run, so a flag's firstSeen survives re-collection and a changed fact is a
 * new flag (the old one is cleaned with its scope).
 */
function analysisFlagId(rule: string, subject: string, message: string): string {
  const hash = createHash('sha256').update(message).digest('hex').slice(0, 12);
  return `flag:${rule}:${subject}:${hash}`;
}

/**
 * AnalysisFlag nodes and HAS_FLAG relationships for the findings whose subject `subjectOf` knows.
 * Findings that give the same id (one fact found twice) become one flag with all their evidence and
 * the most severe severity.
 */
export function analysisFlagRecords(
  findings: readonly AnalysisFinding[],
  subjectOf: (id: string) => FlagSubject | undefined,
): AnalysisFlagRecords {
  const flags = new Map<string, { finding: AnalysisFinding; subject: FlagSubject & { scope: string } }>();
  const unattached: AnalysisFlagRecords['unattached'] = [];
  for (const finding of findings) {
    const subject = subjectOf(finding.subject);
    if (!subject) {
      unattached.push({ finding, reason: `its subject ${finding.subject} is not a node of the inventory` });
      continue;
    }
    if (subject.scope === undefined) {
      // A flag is cleaned with its subject's scope; a shared node has none to clean it with.
      unattached.push({ finding, reason: `its subject ${finding.subject} belongs to no scope` });
      continue;
    }
    const id = analysisFlagId(finding.rule, finding.subject, finding.message);
    const seen = flags.get(id);
    flags.set(id, {
      finding: seen ? merged(seen.finding, finding) : finding,
      subject: { ...subject, scope: subject.scope },
    });
  }
  const nodes: InventoryNode[] = [];
  const relationships: InventoryRelationship[] = [];
  for (const [id, { finding, subject }] of flags) {
    nodes.push({
      id,
      kind: ANALYSIS_FLAG_KIND,
      scope: subject.scope,
      properties: {
        name: `${finding.rule}: ${subject.name ?? finding.subject}`,
        ...(subject.provider ? { provider: subject.provider } : {}),
        rule: finding.rule,
        severity: finding.severity,
        message: finding.message,
        evidence: JSON.stringify(finding.evidence),
        evidenceRefs: [...new Set(finding.evidence.map((e) => e.ref))],
        subject: finding.subject,
      },
    });
    relationships.push({
      type: HAS_FLAG,
      from: finding.subject,
      to: id,
      scope: subject.scope,
      properties: {},
      evidence: [],
    });
  }
  return { nodes, relationships, unattached };
}

function merged(a: AnalysisFinding, b: AnalysisFinding): AnalysisFinding {
  const evidence = [...a.evidence];
  for (const e of b.evidence)
    if (!evidence.some((x) => JSON.stringify(x) === JSON.stringify(e))) evidence.push(e);
  const severity =
    FLAG_SEVERITIES.indexOf(b.severity) < FLAG_SEVERITIES.indexOf(a.severity) ? b.severity : a.severity;
  return { ...a, severity, evidence };
}
