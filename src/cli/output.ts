import type { ReachabilityStats } from '../reachability/compute.js';
/** Plain-text output helpers for the CLI: aligned tables and JSON for scripts. */

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: progress bars only make sense there. */
  interactive: boolean;
}

export const stdio: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** An aligned text table; cells are stringified, long cells are not cut. */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(cells[0] as string[]),
    line(widths.map((w) => '─'.repeat(w))),
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(', ') : 'none';
}

/** One line on the reachability summary a load recomputed, or none. */
export function reachabilityLines(stats: ReachabilityStats | undefined): string[] {
  if (!stats) return [];
  return [
    `  reachability summary: ${stats.rows - stats.hubRows + stats.delegatedRows} identity → resource rows (${stats.rows} stored, ${stats.hubRows} of them on Grant hubs, ${stats.created} new, ${stats.deleted} stale removed; ${stats.delegatedRows} through ${stats.delegations} delegations) in ${(stats.durationMs / 1000).toFixed(1)} s`,
  ];
}
