// biome-ignore-all lint/style/noNonNullAssertion: the sample report holds these entries; a missing one fails the test either way.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { relationshipKind } from '../../../src/model/relationship-kinds.js';
import { formatReport } from '../../../src/reports/format/index.js';
import { sampleReport } from '../../helpers/report.js';

const HOSTILE = '<script>alert(1)</script>';
const ATTRIBUTE = '" onmouseover="alert(2)';

function hostileReport() {
  const report = sampleReport();
  const payments = report.findings[0]!;
  // The same node object appears as subject and as the first hop's origin; rename both places.
  payments.subject.name = HOSTILE;
  payments.path[0]!.from.name = HOSTILE;
  payments.path[1]!.to.id = `arn:aws:iam::222222222222:role/x${ATTRIBUTE}`;
  payments.path[2]!.from.id = payments.path[1]!.to.id;
  payments.path[0]!.evidence[0]!.reason = `allows <b>everything</b> & more ${HOSTILE}`;
  payments.facts[HOSTILE] = HOSTILE;
  payments.message = `${HOSTILE} can write`;
  report.suppressed[0]!.suppression!.reason = HOSTILE;
  report.expiredSuppressions[0]!.reason = HOSTILE;
  return report;
}

function inner(html: string, tag: 'style' | 'script'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] ?? '');
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('HTML report', () => {
  const report = sampleReport();
  const html = formatReport(report, 'html');

  it('is one document with a header naming the graph run and the generation time', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    expect(header).toContain('run-20261124-054512-9c1e');
    expect(header).toContain('<time datetime="2026-11-24T06:00:00.000Z">2026-11-24 06:00 UTC</time>');
    for (const severity of ['critical', 'high', 'medium', 'low', 'info'] as const) {
      expect(header).toMatch(
        new RegExp(
          `<li class="sev-${severity}"><span class="count">${report.summary.bySeverity[severity]}</span>`,
        ),
      );
    }
  });

  it('shows what changed before the findings', () => {
    const changes = html.indexOf('<section id="changes">');
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThan(html.indexOf('<section id="findings">'));
    expect(html).toContain(
      'Since 2026-11-23, <code>ci-deploy</code> can write <code>prod-payments-bucket</code> via <code>tooling-admin</code> → <code>prod-deploy</code>',
    );
  });

  it('loads nothing: no external URL, only inline style and script admitted by hash', () => {
    expect(html).not.toMatch(/\ssrc=/);
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^#/);
    for (const [, url] of html.matchAll(/url\(([^)]*)\)/g)) expect(url).toMatch(/^#/);
    expect(html).not.toMatch(/@import|<link|<iframe|<img|<object|<embed/);
    const styles = inner(html, 'style');
    const scripts = inner(html, 'script');
    expect(styles).toHaveLength(1);
    expect(scripts).toHaveLength(1);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(html)?.[1]
      ?.replace(/&#39;/g, "'");
    expect(csp).toBeDefined();
    const directives = Object.fromEntries(
      csp!.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives['default-src']).toBe("'none'");
    expect(directives['style-src']).toBe(sha256(styles[0]!));
    expect(directives['script-src']).toBe(sha256(scripts[0]!));
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
  });

  it('escapes every string from the graph', () => {
    const hostile = formatReport(hostileReport(), 'html');
    expect(hostile.match(/<script/g)).toHaveLength(1);
    expect(hostile).not.toContain('<b>everything</b>');
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('allows &lt;b&gt;everything&lt;/b&gt; &amp; more');
    expect(hostile).not.toContain(ATTRIBUTE);
    expect(hostile).toContain('x&quot; onmouseover=&quot;alert(2)');
    expect(hostile).not.toMatch(/\son[a-z]+="/);
  });

  it('draws each path as an inline SVG diagram, and both routes of a changed path', () => {
    const withPath = report.findings.filter((f) => f.path.length > 0).length;
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(withPath + 2 * report.diff.changedPaths.length);
    const ids = svgs.map((svg) => /aria-labelledby="(\S+)-title/.exec(svg)?.[1]);
    expect(new Set(ids).size).toBe(svgs.length);
    const payments = svgs.find((svg) => svg.includes('Path from ci-deploy to prod-payments-bucket'));
    expect(payments).toBeDefined();
    for (const name of ['ci-deploy', 'tooling-admin', 'prod-deploy', 'prod-payments-bucket']) {
      expect(payments).toContain(`>${name}</text>`);
    }
    expect(payments).toContain('<tspan');
    expect(payments).not.toContain('stroke-dasharray');
    // The current route of the changed path goes through analytics-reader, under an undecided condition.
    const conditional = svgs.find((svg) => svg.includes('>analytics-reader</text>'));
    expect(conditional).toMatch(/<g class="edge conditional"><path [^>]*stroke-dasharray="6 4"/);
  });

  it('puts conditional findings in their own section and evidence behind <details>', () => {
    const findings = html.slice(
      html.indexOf('<section id="findings">'),
      html.indexOf('<section id="conditional">'),
    );
    const conditional = html.slice(
      html.indexOf('<section id="conditional">'),
      html.indexOf('<section id="suppressed">'),
    );
    const etl = report.findings.find((f) => f.conditional)!;
    expect(findings).not.toContain(`<article class="finding sev-high" id="finding-${etl.fingerprint}"`);
    expect(conditional).toContain(`id="finding-${etl.fingerprint}"`);
    expect(conditional).toContain('hold only under conditions that could not be decided offline');
    expect(conditional).toContain('Holds only if these conditions are met: <code>aws:SourceIp</code>');
    expect(html).toMatch(
      /<details><summary>Evidence \(2\)<\/summary><ul><li><span class="evidence-source">identity-policy<\/span> <code>arn:aws:iam::111111111111:policy\/ci-assume-tooling<\/code>/,
    );
  });

  it('makes tables sortable with buttons, and lists suppressions', () => {
    const sortable = [...html.matchAll(/<table class="sortable[^"]*">/g)];
    expect(sortable.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain('<th scope="col" aria-sort="none"><button type="button">Severity</button></th>');
    const suppressed = html.slice(
      html.indexOf('<section id="suppressed">'),
      html.indexOf('<section id="rules">'),
    );
    expect(suppressed).toContain('Break-glass user, reviewed quarterly (SEC-142)');
    expect(suppressed).toContain(report.expiredSuppressions[0]!.fingerprint);
  });

  it('links each hop’s edge type to its help: meaning as a tooltip, then ATT&CK, general, abuse, remediation', () => {
    const assume = relationshipKind('CAN_ASSUME')!;
    const findings = html.slice(
      html.indexOf('<section id="findings">'),
      html.indexOf('<section id="suppressed">'),
    );
    expect(findings).toContain(
      `<strong><a href="#edge-CAN_ASSUME" title="${assume.meaning}">CAN_ASSUME</a></strong>`,
    );
    expect(findings).toMatch(
      /<strong><a href="#edge-CAN_ACCESS" title="[^"]+">CAN_ACCESS \[[a-z, ]+\]<\/a><\/strong>/,
    );
    const section = html.slice(html.indexOf('<section id="edge-types">'));
    expect(html).toContain('<li><a href="#edge-types">Edge types</a></li>');
    // Only the types the findings' paths use, in the vocabulary's order, each with an anchor the hops link to.
    const types = [...section.matchAll(/<article class="edge-type" id="edge-([A-Z_]+)">/g)].map((m) => m[1]);
    const used = new Set(report.findings.flatMap((f) => f.path.map((h) => h.type)));
    expect(new Set(types)).toEqual(used);
    expect(types.indexOf('CAN_ASSUME')).toBeLessThan(types.indexOf('CAN_ACCESS'));
    const article = section.slice(
      section.indexOf('id="edge-CAN_ASSUME"'),
      section.indexOf('</article>', section.indexOf('id="edge-CAN_ASSUME"')),
    );
    expect(article).toContain(
      '<dt>ATT&amp;CK</dt><dd><code>T1548.005</code> Abuse Elevation Control Mechanism: Temporary Elevated Cloud Access</dd>',
    );
    expect(article).toContain(
      '<dt>Abuse</dt><dd>With the source’s credentials, call <code>aws sts assume-role',
    );
    expect(article).toContain('<dt>Remediation</dt><dd>Narrow the trust policy');
    expect(article).toContain('<code>https://attack.mitre.org/techniques/T1548/005/</code>');
  });
});
