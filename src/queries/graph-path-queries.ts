import type { GraphExecutor } from '../graph/executor.js';
import { runNamedQuery } from './named-queries.js';
import {
  accessAnswer,
  accessOrder,
  adminAnswer,
  adminOrder,
  escalationAnswer,
  escalationOrder,
} from './paths/answers.js';
import { parseNodeFilter } from './paths/filter.js';
import {
  checkAccount,
  checkLevel,
  checkMaxHops,
  firstPathPerKey,
  hopCount,
  type RawEdge,
} from './paths/shape.js';
import type {
  AccessPathAnswer,
  AdminAnswer,
  AdminOptions,
  EscalationAnswer,
  EscalationOptions,
  PathQueries,
  ReachOptions,
  WhoCanOptions,
} from './paths/types.js';

/** One hop as the path queries in cypher/queries/ return it. */
interface HopRow {
  from: string;
  to: string;
  type: string;
  [property: string]: unknown;
}

interface PathRow<Hop> {
  principal: string;
  account?: string;
  resource?: string;
  path: Hop[];
}

/**
 * The path questions answered by Neo4j through the named queries escalation-paths, administrators,
 * reach-paths and who-can-reach. Cypher returns every shortest path; one per pair is kept here by
 * the same rule the in-memory search applies.
 */
export class GraphPathQueries implements PathQueries {
  constructor(private readonly executor: GraphExecutor) {}

  async escalations(options: EscalationOptions = {}): Promise<EscalationAnswer[]> {
    const maxHops = checkMaxHops(options.maxHops);
    const account = checkAccount(options.account) ?? null;
    const rows = await this.paths('escalation-paths', { maxHops, account });
    // Cypher bounds the length (hops + final edge); a self-escalation's final edge is itself a hop.
    const fitting = rows.filter((r) => hopCount(r.path) <= maxHops);
    return firstPathPerKey(fitting, (r) => `${r.account}\u0000${r.principal}`)
      .map((r) => escalationAnswer(r.principal, r.account as string, r.path))
      .sort(escalationOrder);
  }

  async admins(options: AdminOptions = {}): Promise<AdminAnswer[]> {
    const account = checkAccount(options.account) ?? null;
    const rows = await runNamedQuery(this.executor, 'administrators', { account });
    return rows
      .map((r) =>
        adminAnswer({
          from: r.principal as string,
          to: r.account as string,
          type: 'ADMINISTERS',
          properties: { reason: r.reason, evidence: r.evidence, conditional: r.conditional },
        }),
      )
      .sort(adminOrder);
  }

  async reach(options: ReachOptions): Promise<AccessPathAnswer[]> {
    const maxHops = checkMaxHops(options.maxHops);
    const level = checkLevel(options.level) ?? null;
    const from = parseNodeFilter(options.from, '--from');
    const to = parseNodeFilter(options.to, '--to');
    const rows = await this.paths('reach-paths', { maxHops, level, from, to });
    return this.accessAnswers(rows);
  }

  async whoCan(options: WhoCanOptions): Promise<AccessPathAnswer[]> {
    const maxHops = checkMaxHops(options.maxHops);
    const level = checkLevel(options.level) ?? null;
    const rows = await this.paths('who-can-reach', { maxHops, level, resource: options.resource });
    return this.accessAnswers(rows);
  }

  private accessAnswers(rows: PathRow<RawEdge>[]): AccessPathAnswer[] {
    return firstPathPerKey(rows, (r) => `${r.principal}\u0000${r.resource}`)
      .map((r) => accessAnswer(r.principal, r.resource as string, r.path))
      .sort(accessOrder);
  }

  private async paths(name: string, params: Record<string, unknown>): Promise<PathRow<RawEdge>[]> {
    const rows = (await runNamedQuery(this.executor, name, params)) as unknown as PathRow<HopRow>[];
    return rows.map((row) => ({
      ...row,
      path: row.path.map(({ from, to, type, ...properties }) => ({ from, to, type, properties })),
    }));
  }
}
