// biome-ignore-all lint/style/noNonNullAssertion: the sample report holds these entries; a missing one fails the test either way.
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, escapeMarkdownLine, markdownCode } from '../../../src/reports/format/escape.js';
import { formatReport } from '../../../src/reports/format/index.js';
import { type Finding, SEVERITIES } from '../../../src/reports/types.js';
import { sampleReport } from '../../helpers/report.js';

/** The text of the level-2 section with this heading (up to the next level-2 heading). */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The block of one finding (its level-4 heading up to the next heading of level 2–4). */
function block(markdown: string, finding: Finding): string {
  const start = markdown.indexOf(`\`${finding.fingerprint}\``);
  const head = markdown.lastIndexOf('\n#### ', start);
  const end = markdown.slice(start).search(/\n#{2,4} /);
  return markdown.slice(head, end < 0 ? undefined : start + end);
}

describe('Markdown report', () => {
  const report = sampleReport();
  const md = formatReport(report, 'md');

  it('puts what changed first, then the summary, findings, conditional findings and suppressions', () => {
    const order = [
      '## What changed since 2026-11-23',
      '## Summary',
      '## Findings',
      '## Conditional findings',
      '## Suppressed findings',
      '## Expired suppressions',
    ].map((h) => md.indexOf(`\n${h}`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('says what changed as sentences naming the route', () => {
    const changes = section(md, 'What changed since 2026-11-23');
    expect(changes).toContain(
      '- Since 2026-11-23, `ci-deploy` can write `prod-payments-bucket` via `tooling-admin` → `prod-deploy`\n',
    );
    expect(changes).toContain(
      '- Since 2026-11-23, `backup-agent` can no longer write `prod-ledger` (was via `tooling-admin`)\n',
    );
    expect(changes).toContain(
      '- Since 2026-11-23, `etl-runner` reaches `customer-profiles` via `analytics-reader` instead of via `analytics-writer`; levels now read (were read, write); now only under conditions that could not be decided offline\n',
    );
    expect(changes).toMatch(
      /### New findings\n\n- \*\*Critical\*\* `nhi-reaches-production-data`: `ci-deploy`/,
    );
    expect(changes).toMatch(
      /### Resolved findings\n\n- \*\*Critical\*\* `nhi-reaches-production-data`: `backup-agent`/,
    );
  });

  it('says so when it is the first report', () => {
    const first = sampleReport();
    first.diff = {
      ...first.diff,
      previousReportId: null,
      previousGeneratedAt: null,
      resolvedFindings: [],
      removedPaths: [],
      changedPaths: [],
    };
    const text = formatReport(first, 'md');
    const changes = section(text, 'What changed');
    expect(changes).toContain('## What changed: first report, every finding is new');
    expect(changes).toContain(
      `all ${first.summary.total} active findings are new, ${first.diff.newPaths.length} of them`,
    );
    // The findings are listed once, below, not again as changes.
    expect(changes).not.toContain('### New findings');
    expect(changes).not.toContain('can write `prod-payments-bucket`');
  });

  it('counts findings by severity and by rule', () => {
    const summary = section(md, 'Summary');
    for (const severity of SEVERITIES) {
      const label = severity.charAt(0).toUpperCase() + severity.slice(1);
      expect(summary).toContain(`| ${label} | ${report.summary.bySeverity[severity]} |`);
    }
    expect(summary).toContain(
      '| `nhi-reaches-production-data` | Non-human identity can reach production data | high | 2 |',
    );
    expect(summary).toContain(
      '| `user-console-and-keys` | User with console password and access keys | info | 0 |',
    );
  });

  it('shows every hop of a path with the evidence behind it', () => {
    const payments = report.findings[0]!;
    const text = block(md, payments);
    expect(text).toContain(
      '#### Non-human identity can reach production data: `ci-deploy` → `prod-payments-bucket`',
    );
    for (const [i, hop] of payments.path.entries()) {
      expect(text).toContain(`${i + 1}. \`${hop.from.name}\` (${hop.from.kind}) → \`${hop.to.name}\``);
      for (const e of hop.evidence)
        expect(text).toContain(`${e.source} \`${e.ref}\` statement \`${e.statement}\``);
    }
    expect(text).toContain('**CAN\\_ACCESS \\[list, read, write\\]**');
    expect(text).toContain('**Recommendation:** Remove the hop that is not needed');
  });

  it('lists conditional findings apart, with their undecided conditions', () => {
    const conditional = report.findings.filter((f) => f.conditional);
    expect(conditional).toHaveLength(1);
    const [etl] = conditional;
    expect(section(md, 'Findings')).not.toContain(etl!.fingerprint);
    const text = section(md, 'Conditional findings');
    expect(text).toContain('hold only under conditions that could not be decided offline');
    expect(text).toContain(etl!.fingerprint);
    expect(text).toContain('(undecided: `aws:SourceIp`)');
    expect(text).toContain('*(conditional)*');
  });

  it('lists suppressed findings and expired suppressions', () => {
    const suppressed = section(md, 'Suppressed findings (1)');
    expect(suppressed).toContain(
      `| info | \`user-console-and-keys\` | \`ops-oncall\` |  | Break-glass user, reviewed quarterly (SEC-142) | \`2027-03-31\` | \`${report.suppressed[0]!.fingerprint}\` |`,
    );
    const expired = section(md, 'Expired suppressions (1)');
    expect(expired).toContain(
      `| \`${report.expiredSuppressions[0]!.fingerprint}\` | \`access-key-too-old\`: \`legacy-backup\` |`,
    );
  });

  it('escapes names from the graph', () => {
    const hostile = sampleReport();
    const f = hostile.findings[0]!;
    f.subject.name = 'ci`deploy | <img src=x onerror=alert(1)>';
    f.path[0]!.from.name = f.subject.name;
    f.message = '*bold* [link](http://evil.example) <script>alert(1)</script>\n# heading';
    const text = formatReport(hostile, 'md');
    expect(text).toContain('``ci`deploy \\| <img src=x onerror=alert(1)>``');
    expect(text).toContain(
      '\\*bold\\* \\[link\\](http://evil.example) \\<script\\>alert(1)\\</script\\> \\# heading',
    );
    expect(text).not.toMatch(/^# heading/m);
    // Outside code spans, no raw HTML tag from the graph survives.
    const withoutCode = text.replace(/(`+)[\s\S]*?\1/g, '');
    expect(withoutCode).not.toMatch(/(?<!\\)<(script|img)/);
  });

  it.each([
    ['plain', '`plain`'],
    ['a`b', '``a`b``'],
    ['`start', '`` `start ``'],
    ['a|b', '`a\\|b`'],
    ['two\nlines', '`two lines`'],
  ])('markdownCode(%j) = %s', (value, expected) => {
    expect(markdownCode(value)).toBe(expected);
  });

  it.each([
    ['- not a list', '\\- not a list'],
    ['1. not a list', '1\\. not a list'],
    ['=== not a heading', '\\=== not a heading'],
    ['   # indented', '\\# indented'],
    ['ci-deploy can write', 'ci-deploy can write'],
  ])('escapeMarkdownLine(%j) = %j', (value, expected) => {
    expect(escapeMarkdownLine(value)).toBe(expected);
  });

  it('escapeMarkdown leaves ordinary punctuation readable', () => {
    expect(escapeMarkdown('prod-payments.bucket (eu-west-1): 3 hops')).toBe(
      'prod-payments.bucket (eu-west-1): 3 hops',
    );
    expect(escapeMarkdown('a_b*c~d&e$f')).toBe('a\\_b\\*c\\~d\\&e\\$f');
  });
});
