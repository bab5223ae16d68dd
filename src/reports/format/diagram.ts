import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { FindingHop, NodeRef } from '../types.js';
import { escapeHtml } from './escape.js';
import { pathNodes } from './text.js';

/**
 * A finding's path as an SVG diagram. dagre lays the graph out at format time, in Node, and the SVG is
 * written with the coordinates it computed, so the report carries no layout code and renders the
 * same everywhere (including print). Styling is by SVG presentation attributes, not CSS, so a diagram
 * copied out of the report keeps its look.
 */

export interface DiagramNode {
  id: string;
  name: string;
  kind: string;
  role: 'subject' | 'via' | 'target';
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DiagramEdge {
  from: string;
  to: string;
  /** Type, then technique or levels, then "conditional" when it is. */
  lines: string[];
  conditional: boolean;
  points: { x: number; y: number }[];
  labelX: number;
  labelY: number;
  labelWidth: number;
  labelHeight: number;
}

export interface DiagramLayout {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

const NAME_FONT = 13;
const KIND_FONT = 11;
const LABEL_FONT = 11;
const LINE_HEIGHT = 14;
const MAX_NAME_CHARS = 40;

/** A width estimate for a sans-serif string: there is no font metrics engine at format time. */
function textWidth(text: string, fontSize: number): number {
  return Math.ceil(text.length * fontSize * 0.6);
}

function shortened(name: string): string {
  return name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS - 1)}…` : name;
}

function edgeLines(hop: FindingHop): string[] {
  const lines = [hop.type];
  if (hop.technique) lines.push(hop.technique);
  if (hop.levels.length > 0) lines.push(hop.levels.join(', '));
  if (hop.conditional) lines.push('conditional');
  return lines;
}

/** Lays a path out left to right with dagre. */
export function layoutPath(path: FindingHop[]): DiagramLayout {
  const graph = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 50, edgesep: 20, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));

  const nodes = pathNodes(path);
  const first = nodes[0]?.id;
  const last = nodes.at(-1)?.id;
  const byId = new Map<string, NodeRef>(nodes.map((node) => [node.id, node]));
  for (const node of byId.values()) {
    const width = Math.max(
      110,
      textWidth(shortened(node.name), NAME_FONT) + 24,
      textWidth(node.kind, KIND_FONT) + 24,
    );
    graph.setNode(node.id, { width, height: 46 });
  }
  path.forEach((hop, index) => {
    const lines = edgeLines(hop);
    const width = Math.max(...lines.map((line) => textWidth(line, LABEL_FONT))) + 12;
    graph.setEdge(
      hop.from.id,
      hop.to.id,
      { width, height: lines.length * LINE_HEIGHT + 6, labelpos: 'c', minlen: 1 },
      `hop${index}`,
    );
  });

  dagre.layout(graph);

  const size = graph.graph();
  return {
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    nodes: [...byId.values()].map((node) => {
      const placed = graph.node(node.id);
      return {
        id: node.id,
        name: node.name,
        kind: node.kind,
        role: node.id === first ? 'subject' : node.id === last ? 'target' : 'via',
        x: placed.x ?? 0,
        y: placed.y ?? 0,
        width: placed.width,
        height: placed.height,
      };
    }),
    edges: path.map((hop, index) => {
      const placed = graph.edge({ v: hop.from.id, w: hop.to.id, name: `hop${index}` });
      return {
        from: hop.from.id,
        to: hop.to.id,
        lines: edgeLines(hop),
        conditional: hop.conditional,
        points: (placed.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })),
        labelX: placed.x ?? 0,
        labelY: placed.y ?? 0,
        labelWidth: placed.width ?? 0,
        labelHeight: placed.height ?? 0,
      };
    }),
  };
}

const COLORS = {
  subject: { fill: '#e0ecff', stroke: '#1d4ed8' },
  via: { fill: '#f1f5f9', stroke: '#475569' },
  target: { fill: '#fde8e8', stroke: '#b91c1c' },
} as const;

const num = (n: number) => String(Math.round(n * 10) / 10);

function renderNode(node: DiagramNode): string {
  const color = COLORS[node.role];
  const left = node.x - node.width / 2;
  const top = node.y - node.height / 2;
  return [
    `<g class="node ${node.role}" data-node-id="${escapeHtml(node.id)}">`,
    `<title>${escapeHtml(`${node.kind} ${node.id}`)}</title>`,
    `<rect x="${num(left)}" y="${num(top)}" width="${num(node.width)}" height="${num(node.height)}" rx="6" fill="${color.fill}" stroke="${color.stroke}" stroke-width="1.5"/>`,
    `<text class="node-name" x="${num(node.x)}" y="${num(node.y - 3)}" text-anchor="middle" font-size="${NAME_FONT}" font-weight="600" fill="#0f172a">${escapeHtml(shortened(node.name))}</text>`,
    `<text class="node-kind" x="${num(node.x)}" y="${num(node.y + 13)}" text-anchor="middle" font-size="${KIND_FONT}" fill="#475569">${escapeHtml(node.kind)}</text>`,
    '</g>',
  ].join('');
}

function renderEdge(edge: DiagramEdge, arrowId: string): string {
  const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${num(p.x)},${num(p.y)}`).join(' ');
  const stroke = edge.conditional ? '#b45309' : '#475569';
  const dash = edge.conditional ? ' stroke-dasharray="6 4"' : '';
  const top = edge.labelY - edge.labelHeight / 2;
  const tspans = edge.lines
    .map(
      (line, i) =>
        `<tspan x="${num(edge.labelX)}" y="${num(top + LINE_HEIGHT * (i + 1))}"${i === 0 ? ' font-weight="600"' : ''}>${escapeHtml(line)}</tspan>`,
    )
    .join('');
  return [
    `<g class="edge${edge.conditional ? ' conditional' : ''}">`,
    `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="1.5"${dash} marker-end="url(#${arrowId})"/>`,
    `<rect x="${num(edge.labelX - edge.labelWidth / 2)}" y="${num(top)}" width="${num(edge.labelWidth)}" height="${num(edge.labelHeight)}" rx="3" fill="#ffffff" fill-opacity="0.92"/>`,
    `<text class="edge-label" text-anchor="middle" font-size="${LABEL_FONT}" fill="${stroke}">${tspans}</text>`,
    '</g>',
  ].join('');
}

/**
 * The SVG of a path. `idPrefix` keeps the ids of several diagrams in one page apart; it must be a
 * plain identifier (the caller makes it from a counter, never from graph data).
 */
export function pathDiagramSvg(path: FindingHop[], idPrefix: string): string {
  if (!/^[A-Za-z][\w-]*$/.test(idPrefix)) throw new Error(`Invalid diagram id prefix: ${idPrefix}`);
  const layout = layoutPath(path);
  const nodes = pathNodes(path);
  const title = `Path from ${nodes[0]?.name ?? '?'} to ${nodes.at(-1)?.name ?? '?'}`;
  const description = path
    .map((hop) => `${hop.from.name} ${edgeLines(hop).join(' ')} ${hop.to.name}`)
    .join('; ');
  const arrowId = `${idPrefix}-arrow`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="path-diagram" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-labelledby="${idPrefix}-title ${idPrefix}-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">`,
    `<title id="${idPrefix}-title">${escapeHtml(title)}</title>`,
    `<desc id="${idPrefix}-desc">${escapeHtml(description)}</desc>`,
    `<defs><marker id="${arrowId}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker></defs>`,
    ...layout.edges.map((edge) => renderEdge(edge, arrowId)),
    ...layout.nodes.map(renderNode),
    '</svg>',
  ].join('\n');
}
