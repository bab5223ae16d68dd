// biome-ignore-all lint/style/noNonNullAssertion: the sample report holds these entries; a missing one fails the test either way.
import { describe, expect, it } from 'vitest';
import { layoutPath, pathDiagramSvg } from '../../../src/reports/format/diagram.js';
import { sampleReport } from '../../helpers/report.js';

describe('path diagrams', () => {
  const payments = sampleReport().findings[0]!;

  it('lays a path out left to right without overlaps, with an arrow route per hop', () => {
    const layout = layoutPath(payments.path);
    expect(layout.nodes.map((n) => n.name)).toEqual([
      'ci-deploy',
      'tooling-admin',
      'prod-deploy',
      'prod-payments-bucket',
    ]);
    expect(layout.nodes.map((n) => n.role)).toEqual(['subject', 'via', 'via', 'target']);
    for (let i = 1; i < layout.nodes.length; i++) {
      const [a, b] = [layout.nodes[i - 1]!, layout.nodes[i]!];
      expect(b.x - b.width / 2).toBeGreaterThan(a.x + a.width / 2);
    }
    for (const node of layout.nodes) {
      expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
      expect(node.x + node.width / 2).toBeLessThanOrEqual(layout.width);
      expect(node.y + node.height / 2).toBeLessThanOrEqual(layout.height);
    }
    expect(layout.edges.map((e) => e.lines)).toEqual([
      ['CAN_ASSUME'],
      ['CAN_ASSUME'],
      ['CAN_ACCESS', 'list, read, write'],
    ]);
    for (const edge of layout.edges) {
      const from = layout.nodes.find((n) => n.id === edge.from)!;
      const to = layout.nodes.find((n) => n.id === edge.to)!;
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
      expect(edge.points[0]!.x).toBeCloseTo(from.x + from.width / 2, 0);
      expect(edge.points.at(-1)!.x).toBeCloseTo(to.x - to.width / 2, 0);
      // The label sits between the two nodes.
      expect(edge.labelX).toBeGreaterThan(from.x);
      expect(edge.labelX).toBeLessThan(to.x);
    }
  });

  it('labels techniques and conditional hops, and draws conditional edges dashed', () => {
    const report = sampleReport();
    const escalation = layoutPath(report.findings[1]!.path);
    expect(escalation.edges[0]?.lines).toEqual(['CAN_ESCALATE', 'lambda-001']);
    const etl = report.findings.find((f) => f.conditional)!;
    const svg = pathDiagramSvg(etl.path, 'd1');
    expect(layoutPath(etl.path).edges[0]?.lines).toEqual(['CAN_ASSUME', 'conditional']);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1);
  });

  it('escapes names and ids, and keeps long names readable', () => {
    const path = structuredClone(payments.path);
    path[0]!.from.name = '<b>&"x"</b>';
    path[1]!.to.name = 'r'.repeat(80);
    const svg = pathDiagramSvg(path, 'd2');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
    expect(svg).toContain(`>${'r'.repeat(39)}…</text>`);
    expect(() => pathDiagramSvg(path, '1"><script>')).toThrow(/Invalid diagram id prefix/);
  });

  it('handles a single hop and a node visited twice', () => {
    const one = layoutPath(payments.path.slice(2));
    expect(one.nodes).toHaveLength(2);
    const loop = structuredClone(payments.path.slice(0, 2));
    loop.push({ ...loop[0]!, from: loop[1]!.to, to: loop[0]!.from });
    const layout = layoutPath(loop);
    expect(layout.nodes).toHaveLength(3);
    expect(layout.edges).toHaveLength(3);
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
  });
});
