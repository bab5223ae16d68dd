import {
  accessAnswer,
  accessOrder,
  adminAnswer,
  adminOrder,
  escalationAnswer,
  escalationOrder,
} from '../paths/answers.js';
import { matchesFilter, parseNodeFilter } from '../paths/filter.js';
import { checkAccount, checkLevel, checkMaxHops, type RawEdge } from '../paths/shape.js';
import {
  type AccessPathAnswer,
  type AdminAnswer,
  type AdminOptions,
  ESCALATION_HOP_TYPES,
  type EscalationAnswer,
  type EscalationOptions,
  type PathQueries,
  REACH_HOP_TYPES,
  type ReachOptions,
  type WhoCanOptions,
} from '../paths/types.js';
import type { MemoryGraph } from './graph.js';
import { distancesTo, firstShortestPath, type PathForm } from './search.js';

const ESCALATION_HOPS: ReadonlySet<string> = new Set(ESCALATION_HOP_TYPES);
const REACH_HOPS: ReadonlySet<string> = new Set(REACH_HOP_TYPES);

/** The path questions answered over an in-memory graph (a snapshot, no Neo4j). */
export class MemoryPathQueries implements PathQueries {
  constructor(private readonly graph: MemoryGraph) {}

  async escalations(options: EscalationOptions = {}): Promise<EscalationAnswer[]> {
    return this.escalationsNow(options);
  }

  async admins(options: AdminOptions = {}): Promise<AdminAnswer[]> {
    const account = checkAccount(options.account);
    return this.accounts(account)
      .flatMap((a) => this.graph.in(a).filter((e) => e.type === 'ADMINISTERS'))
      .map(adminAnswer)
      .sort(adminOrder);
  }

  async reach(options: ReachOptions): Promise<AccessPathAnswer[]> {
    const from = parseNodeFilter(options.from, '--from');
    const to = parseNodeFilter(options.to, '--to');
    const targets = [...this.graph.nodes()]
      .filter((n) => n.labels.includes('Resource') && matchesFilter(n, to))
      .map((n) => n.id);
    return this.accessPaths(targets, options, (id) => {
      const node = this.graph.node(id);
      return node !== undefined && matchesFilter(node, from);
    });
  }

  async whoCan(options: WhoCanOptions): Promise<AccessPathAnswer[]> {
    const targets = this.graph.hasLabel(options.resource, 'Resource') ? [options.resource] : [];
    return this.accessPaths(targets, options, () => true);
  }

  /** Synchronous core of `escalations`, for callers that have no use for a promise. */
  escalationsNow(options: EscalationOptions = {}): EscalationAnswer[] {
    const maxHops = checkMaxHops(options.maxHops);
    const answers: EscalationAnswer[] = [];
    for (const account of this.accounts(checkAccount(options.account))) {
      const admins = new Set(
        this.graph.in(account).flatMap((e) => (e.type === 'ADMINISTERS' ? [e.from] : [])),
      );
      const any = escalationForm(maxHops, ['ADMINISTERS', 'CAN_ESCALATE']);
      const dist = distancesTo(this.graph, account, any);
      let viaAdmin: { form: PathForm; dist: Map<string, number> } | undefined;
      for (const [principal, length] of dist) {
        if (admins.has(principal) || this.isRootOf(principal, account)) continue;
        let path: RawEdge[] | undefined;
        if (length <= maxHops) {
          path = firstShortestPath(this.graph, principal, account, dist, any);
        } else {
          // One edge over the hop limit: only a path whose last edge is ADMINISTERS (not a hop) fits.
          const form = escalationForm(maxHops, ['ADMINISTERS']);
          viaAdmin ??= { form, dist: distancesTo(this.graph, account, form) };
          if (viaAdmin.dist.get(principal) === length)
            path = firstShortestPath(this.graph, principal, account, viaAdmin.dist, viaAdmin.form);
        }
        if (path) answers.push(escalationAnswer(principal, account, path));
      }
    }
    return answers.sort(escalationOrder);
  }

  /** An account's root already controls that account: it is no escalation. */
  private isRootOf(principal: string, account: string): boolean {
    return (
      this.graph.hasLabel(principal, 'AwsAccountRoot') && principal.split(':')[4] === account.split(':')[2]
    );
  }

  private accounts(account: string | undefined): string[] {
    if (account !== undefined) {
      const id = `aws:account:${account}`;
      return this.graph.hasLabel(id, 'AwsAccount') ? [id] : [];
    }
    return [...this.graph.nodes()].filter((n) => n.labels.includes('AwsAccount')).map((n) => n.id);
  }

  private accessPaths(
    targets: string[],
    options: { level?: string; maxHops?: number },
    isSource: (id: string) => boolean,
  ): AccessPathAnswer[] {
    const maxHops = checkMaxHops(options.maxHops);
    const level = checkLevel(options.level);
    const form: PathForm = {
      hopTypes: REACH_HOPS,
      maxLength: maxHops + 1,
      isFinal: (e, target) =>
        e.type === 'CAN_ACCESS' &&
        e.to === target &&
        (level === undefined || (e.properties.levels as string[] | undefined)?.includes(level) === true),
    };
    const answers: AccessPathAnswer[] = [];
    for (const target of targets) {
      const dist = distancesTo(this.graph, target, form);
      for (const principal of dist.keys()) {
        if (!isSource(principal)) continue;
        const path = firstShortestPath(this.graph, principal, target, dist, form);
        if (path) answers.push(accessAnswer(principal, target, path));
      }
    }
    return answers.sort(accessOrder);
  }
}

function escalationForm(maxHops: number, finalTypes: string[]): PathForm {
  return {
    hopTypes: ESCALATION_HOPS,
    maxLength: maxHops + 1,
    isFinal: (e, target) => e.to === target && finalTypes.includes(e.type),
  };
}
