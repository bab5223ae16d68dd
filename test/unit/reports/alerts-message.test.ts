import { describe, expect, it } from 'vitest';
import { emailContent } from '../../../src/reports/alerts/email.js';
import {
  alertableFindings,
  jobFailedPayload,
  newFindingsPayload,
  pathLine,
} from '../../../src/reports/alerts/message.js';
import { SLACK_MAX_BLOCKS, type SlackBlock, slackMessage } from '../../../src/reports/alerts/slack.js';
import type { Finding, Report, Severity } from '../../../src/reports/types.js';
import { finding, nodeRef, sampleNodes, sampleReport } from '../../helpers/report.js';

/** The sample report with `newFindings` replaced (findings keep their own severities). */
function reportWithNew(newFindings: Finding[]): Report {
  const report = sampleReport();
  report.diff.newFindings = newFindings;
  return report;
}

function sectionTexts(blocks: SlackBlock[]): string[] {
  return blocks.flatMap((block) => (block.type === 'section' ? [block.text.text] : []));
}

function many(count: number, severity: Severity = 'high', messageLength = 40): Finding[] {
  return Array.from({ length: count }, (_, i) =>
    finding(
      'nhi-reaches-production-data',
      nodeRef('AwsRole', `role-${i}`),
      nodeRef('AwsS3Bucket', `bucket-${i}`),
      {
        severity,
        message: `role-${i} can write bucket-${i} `.padEnd(messageLength, '.'),
      },
    ),
  );
}

describe('which findings alert', () => {
  it('takes only the new findings, not the unchanged ones', () => {
    const report = sampleReport();
    const selected = alertableFindings(report, 'high');
    expect(selected.map((f) => f.fingerprint)).toEqual(report.diff.newFindings.map((f) => f.fingerprint));
    // The report holds other high and critical findings that were already there yesterday.
    const unchangedSevere = report.findings.filter(
      (f) => ['high', 'critical'].includes(f.severity) && !report.diff.newFindings.includes(f),
    );
    expect(unchangedSevere.length).toBeGreaterThan(0);
    for (const f of unchangedSevere) expect(selected).not.toContain(f);
  });

  it('applies the severity threshold: high by default, lower when configured', () => {
    const report = sampleReport();
    const [critical, medium, low] = [0, 5, 6].map((i) => report.findings[i] as Finding) as [
      Finding,
      Finding,
      Finding,
    ];
    expect([critical.severity, medium.severity, low.severity]).toEqual(['critical', 'medium', 'low']);
    const withNew = reportWithNew([low, medium, critical]);

    expect(alertableFindings(withNew, 'high').map((f) => f.severity)).toEqual(['critical']);
    expect(alertableFindings(withNew, 'medium').map((f) => f.severity)).toEqual(['critical', 'medium']);
    expect(alertableFindings(withNew, 'info').map((f) => f.severity)).toEqual(['critical', 'medium', 'low']);
  });

  it('never alerts on suppressed findings', () => {
    const report = sampleReport();
    const suppressed = report.suppressed[0] as Finding;
    const severe = { ...suppressed, severity: 'critical' as const };
    report.suppressed = [severe];
    report.diff.newFindings = [severe];
    expect(alertableFindings(report, 'info')).toEqual([]);
    expect(newFindingsPayload(report, 'info')).toBeNull();
  });

  it('builds no payload when nothing new qualifies', () => {
    expect(newFindingsPayload(reportWithNew([]), 'high')).toBeNull();
    expect(newFindingsPayload(reportWithNew(many(3, 'medium')), 'high')).toBeNull();
  });

  it('builds the versioned payload with compact findings and the path in one line', () => {
    const report = sampleReport();
    const payload = newFindingsPayload(report, 'high');
    expect(payload).not.toBeNull();
    expect(payload).toMatchObject({
      schemaVersion: 1,
      event: 'report.new-findings',
      reportId: report.id,
      generatedAt: report.generatedAt,
      job: 'nightly',
      previousReportId: report.diff.previousReportId,
      minSeverity: 'high',
    });
    const newFinding = report.diff.newFindings[0] as Finding;
    expect(payload?.findings).toEqual([
      {
        fingerprint: newFinding.fingerprint,
        ruleId: newFinding.ruleId,
        title: newFinding.title,
        severity: newFinding.severity,
        category: newFinding.category,
        subject: newFinding.subject,
        target: newFinding.target,
        message: newFinding.message,
        path: 'ci-deploy → tooling-admin → prod-deploy → prod-payments-bucket',
        conditional: false,
      },
    ]);
  });

  it('writes the path as node names, and null without hops', () => {
    const n = sampleNodes();
    expect(pathLine(finding('role-unused', n.staleRole, null))).toBeNull();
  });

  it('describes a failed job with its error', () => {
    const payload = jobFailedPayload(
      'nightly',
      new Error('snapshot dir missing'),
      new Date('2026-11-24T06:00:00Z'),
    );
    expect(payload).toEqual({
      schemaVersion: 1,
      event: 'job.failed',
      reportId: null,
      generatedAt: '2026-11-24T06:00:00.000Z',
      job: 'nightly',
      findings: [],
      error: { message: 'snapshot dir missing' },
    });
  });
});

describe('Slack message', () => {
  it('has a header, a context line and one section per finding with severity, title, subject → target, message and path', () => {
    const report = sampleReport();
    report.diff.newFindings = [report.findings[0] as Finding, report.findings[1] as Finding];
    const payload = newFindingsPayload(report, 'high');
    if (!payload) throw new Error('expected a payload');
    const message = slackMessage(payload);

    expect(message.text).toBe('reachgraph: 2 new findings (2 critical) (job nightly)');
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section']);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: message.text, emoji: false },
    });
    const [first, second] = sectionTexts(message.blocks);
    expect(first).toContain('*CRITICAL* · *Non-human identity can reach production data*');
    expect(first).toContain('ci-deploy → prod-payments-bucket');
    expect(first).toContain('ci-deploy can write prod-payments-bucket');
    expect(first).toContain('_path:_ ci-deploy → tooling-admin → prod-deploy → prod-payments-bucket');
    expect(second).toContain('gha-infra → 222222222222');
  });

  it('escapes Slack control characters in names and messages', () => {
    const evil = finding('nhi-is-administrator', nodeRef('AwsRole', '<!channel>&co'), null, {
      severity: 'critical',
      message: 'a <b> & c',
    });
    const payload = newFindingsPayload(reportWithNew([evil]), 'high');
    if (!payload) throw new Error('expected a payload');
    const [section] = sectionTexts(slackMessage(payload).blocks);
    expect(section).toContain('&lt;!channel&gt;&amp;co');
    expect(section).toContain('a &lt;b&gt; &amp; c');
    expect(section).not.toContain('<!channel>');
  });

  it('keeps within 50 blocks and says how many more there are', () => {
    const payload = newFindingsPayload(reportWithNew(many(120)), 'high');
    if (!payload) throw new Error('expected a payload');
    const { blocks } = slackMessage(payload);
    expect(blocks).toHaveLength(SLACK_MAX_BLOCKS);
    const sections = sectionTexts(blocks);
    const shown = sections.filter((text) => text.includes('_rule_'));
    const more = sections.at(-1) ?? '';
    const count = Number(/and (\d+) more new findings/.exec(more)?.[1]);
    expect(shown.length + count).toBe(120);
    expect(shown[0]).toContain('role-0 can write bucket-0');
  });

  it('shows every finding when they fit, without an "and more" line', () => {
    const payload = newFindingsPayload(reportWithNew(many(48)), 'high');
    if (!payload) throw new Error('expected a payload');
    const { blocks } = slackMessage(payload);
    expect(blocks).toHaveLength(50);
    expect(sectionTexts(blocks).some((text) => text.includes('more new finding'))).toBe(false);
  });

  it('caps the total text as well as the block count', () => {
    const payload = newFindingsPayload(reportWithNew(many(30, 'high', 1500)), 'high');
    if (!payload) throw new Error('expected a payload');
    const { blocks } = slackMessage(payload);
    const total = sectionTexts(blocks).reduce((sum, text) => sum + text.length, 0);
    expect(total).toBeLessThanOrEqual(12_000);
    expect(blocks.length).toBeLessThan(30);
    expect(sectionTexts(blocks).at(-1)).toMatch(/and \d+ more new findings/);
  });

  it('reports a failed job', () => {
    const message = slackMessage(jobFailedPayload('nightly', new Error('Neo4j unreachable'), new Date(0)));
    expect(message.text).toBe('reachgraph: job failed (job nightly)');
    expect(sectionTexts(message.blocks)[0]).toContain('Neo4j unreachable');
  });
});

describe('email content', () => {
  it('lists the findings in text and HTML, escaping the HTML', () => {
    const evil = finding('nhi-is-administrator', nodeRef('AwsRole', '<script>x</script>'), null, {
      severity: 'critical',
      title: 'Non-human administrator',
    });
    const payload = newFindingsPayload(reportWithNew([evil]), 'high');
    if (!payload) throw new Error('expected a payload');
    const content = emailContent(payload);
    expect(content.subject).toBe('reachgraph: 1 new finding (1 critical) (job nightly)');
    expect(content.text).toContain('[CRITICAL] Non-human administrator');
    expect(content.text).toContain('<script>x</script>');
    expect(content.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(content.html).not.toContain('<script>');
  });
});
