import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { packageRoot } from '../../package-root.js';
import { COMPLIANCE_FRAMEWORKS } from '../rules/schema.js';
import type { Finding, FindingHop, NodeRef, Report, RuleDeclaration, Severity } from '../types.js';
import { hopLabel, pathNodes, pathText, undecidedConditions } from './text.js';

/**
 * SARIF 2.1.0 (OASIS), one run, for code-scanning dashboards. A finding has no file and line: its
 * subject and target are logical locations (kind `resource`, fully qualified name = the node id), and
 * its path is a code flow whose thread-flow locations are the nodes it passes through, each with the
 * hop that leaves it and that hop's evidence. Suppressed findings are results with an external
 * suppression, so dashboards show them as accepted rather than forget them.
 */

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'reachgraphFingerprint/v1';

/** critical/high → error, medium → warning, low/info → note. */
export function sarifLevel(severity: Severity): Sarif.Result.level {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

/**
 * GitHub code scanning reads `security-severity` (a number from 0.0 to 10.0, as a string) and shows
 * over 9.0 as critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. These values sit inside each band.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

interface ToolInfo {
  version: string;
  informationUri: string;
}

let toolInfo: ToolInfo | undefined;

/** Version and home page from reachgraph's package.json (npm's page for it when no homepage is set). */
function tool(): ToolInfo {
  if (!toolInfo) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      homepage?: string;
    };
    toolInfo = {
      version: pkg.version,
      informationUri: pkg.homepage ?? `https://www.npmjs.com/package/${pkg.name}`,
    };
  }
  return toolInfo;
}

function complianceTags(rule: RuleDeclaration): string[] {
  return COMPLIANCE_FRAMEWORKS.flatMap(({ key, tag }) =>
    (rule.compliance[key] ?? []).map((id) => `${tag}/${id}`),
  );
}

function ruleHelp(rule: RuleDeclaration): Sarif.MultiformatMessageString {
  const tags = complianceTags(rule);
  const markdown = [rule.recommendation.trim()];
  if (tags.length > 0) markdown.push(`Compliance: ${tags.join(', ')}.`);
  if (rule.references.length > 0) markdown.push(rule.references.map((ref) => `- <${ref}>`).join('\n'));
  return { text: rule.recommendation.trim(), markdown: markdown.join('\n\n') };
}

function reportingDescriptor(rule: RuleDeclaration): Sarif.ReportingDescriptor {
  const descriptor: Sarif.ReportingDescriptor = {
    id: rule.id,
    name: rule.title,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description.trim() },
    help: ruleHelp(rule),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags: ['security', rule.category, ...complianceTags(rule)],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: 'high',
      category: rule.category,
      severity: rule.severity,
      parameters: rule.parameters,
    },
  };
  if (rule.references[0]) descriptor.helpUri = rule.references[0];
  return descriptor;
}

function logicalLocation(node: NodeRef): Sarif.LogicalLocation {
  return {
    name: node.name,
    fullyQualifiedName: node.id,
    kind: 'resource',
    properties: { nodeKind: node.kind, scope: node.scope },
  };
}

function threadFlowLocation(
  node: NodeRef,
  hop: FindingHop | undefined,
  order: number,
): Sarif.ThreadFlowLocation {
  const text = hop ? `${hopLabel(hop)} → ${hop.to.name}: ${hop.reason}` : `reaches ${node.name}`;
  const location: Sarif.ThreadFlowLocation = {
    location: { logicalLocations: [logicalLocation(node)], message: { text } },
    executionOrder: order,
  };
  if (hop) {
    location.kinds = [hop.type];
    location.properties = {
      type: hop.type,
      technique: hop.technique,
      levels: hop.levels,
      conditional: hop.conditional,
      undecidedConditions: undecidedConditions(hop.evidence),
      evidence: hop.evidence,
    };
  }
  return location;
}

function codeFlow(finding: Finding): Sarif.CodeFlow {
  const nodes = pathNodes(finding.path);
  return {
    message: { text: pathText(finding.path) },
    threadFlows: [
      { locations: nodes.map((node, index) => threadFlowLocation(node, finding.path[index], index + 1)) },
    ],
  };
}

function result(finding: Finding, ruleIndex: Map<string, number>): Sarif.Result {
  const sarif: Sarif.Result = {
    ruleId: finding.ruleId,
    level: sarifLevel(finding.severity),
    kind: 'fail',
    message: { text: finding.message },
    locations: [{ logicalLocations: [logicalLocation(finding.subject)] }],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties: {
      title: finding.title,
      category: finding.category,
      severity: finding.severity,
      'security-severity': SECURITY_SEVERITY[finding.severity],
      conditional: finding.conditional,
      ...(finding.firstSeen ? { firstSeen: finding.firstSeen } : {}),
      ...(finding.lastSeen ? { lastSeen: finding.lastSeen } : {}),
      facts: finding.facts,
      ...(finding.evidence ? { evidence: finding.evidence } : {}),
    },
  };
  const index = ruleIndex.get(finding.ruleId);
  if (index !== undefined) sarif.ruleIndex = index;
  if (finding.target) {
    sarif.relatedLocations = [
      { id: 1, logicalLocations: [logicalLocation(finding.target)], message: { text: 'target' } },
    ];
  }
  if (finding.path.length > 0) sarif.codeFlows = [codeFlow(finding)];
  if (finding.suppression) {
    sarif.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: finding.suppression.reason,
        properties: { expires: finding.suppression.expires },
      },
    ];
  }
  return sarif;
}

export function sarifLog(report: Report): Sarif.Log {
  const { version, informationUri } = tool();
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'reachgraph',
            version,
            semanticVersion: version,
            informationUri,
            rules: report.rules.map(reportingDescriptor),
          },
        },
        automationDetails: { id: `reachgraph/${report.job ?? 'report'}/${report.id}` },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        results: [...report.findings, ...report.suppressed].map((f) => result(f, ruleIndex)),
        properties: {
          reportId: report.id,
          reportSchemaVersion: report.schemaVersion,
          graphRun: report.graphRun,
          previousReportId: report.diff.previousReportId,
          summary: report.summary,
          expiredSuppressions: report.expiredSuppressions,
        },
      },
    ],
  };
}

export function formatSarif(report: Report): string {
  return `${JSON.stringify(sarifLog(report), null, 2)}\n`;
}
