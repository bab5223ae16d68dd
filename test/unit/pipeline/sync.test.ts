import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { packageRoot } from '../../../src/package-root.js';
import {
  type CrossProviderRule,
  type CrossProviderUnion,
  createCrossProviderRegistry,
} from '../../../src/pipeline/cross-provider.js';
import { analyzeProviders, outcomeOf, providerJob, providerJobs } from '../../../src/pipeline/sync.js';
import { awsProvider } from '../../../src/providers/aws/index.js';
import { createProviderRegistry, PROVIDER_REGISTRY } from '../../../src/providers/registry.js';
import {
  identityId,
  type LedgerEnvironment,
  ledgerProvider,
  resourceId,
} from '../../helpers/test-provider.js';
import { MULTI_ACCOUNT } from '../aws-fixture/expected.js';

const alpha = ledgerProvider('alpha');
const beta = ledgerProvider('beta');
const envA: LedgerEnvironment = {
  system: 'alpha',
  identities: ['ci', 'ops'],
  resources: ['db'],
  grants: [['ci', 'db']],
};
const envB: LedgerEnvironment = { system: 'beta', identities: ['bot'], resources: ['vault'], grants: [] };
const work = mkdtempSync(join(tmpdir(), 'reachgraph-pipeline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Joins alpha's identities to beta's resources of the same first letter; records what it saw. */
function joiningRule(seen: { union?: CrossProviderUnion } = {}): CrossProviderRule {
  return {
    name: 'alpha-to-beta',
    description: 'test rule',
    requires: ['alpha', 'beta'],
    emits: ['CAN_ACCESS'],
    references: [],
    derive(union) {
      seen.union = union;
      const a = union.dataOf(alpha)?.environment;
      const b = union.dataOf(beta)?.environment;
      if (!a || !b) throw new Error('both providers are in the run');
      return {
        edges: a.identities.flatMap((i) =>
          b.resources
            .filter((r) => r[0] === 'v' && i === 'ops')
            .map((r) => ({
              type: 'CAN_ACCESS',
              from: identityId(a.system, i),
              to: resourceId(b.system, r),
              properties: { levels: ['read'] },
              evidence: [
                { source: 'declared' as const, ref: 'join', reason: `${i} reads ${r} across systems` },
              ],
            })),
        ),
      };
    },
  };
}

describe('analyzeProviders: several providers in one run', () => {
  it('collects, analyzes and merges each provider’s inventory into one valid inventory', async () => {
    const run = await analyzeProviders([providerJob(alpha, envA), providerJob(beta, envB)], {
      crossProviderRules: [],
    });
    expect(run.sources).toEqual(['alpha memory alpha', 'beta memory beta']);
    expect(run.valid.inventory.source.name).toBe('alpha memory alpha + beta memory beta');
    expect(run.valid.inventory.scopes.map((s) => [s.id, s.complete])).toEqual([
      ['custom:alpha', true],
      ['custom:beta', true],
    ]);
    expect(run.valid.nodes.map((n) => n.id).sort()).toEqual(
      [
        identityId('alpha', 'ci'),
        identityId('alpha', 'ops'),
        resourceId('alpha', 'db'),
        identityId('beta', 'bot'),
        resourceId('beta', 'vault'),
      ].sort(),
    );
    expect(run.valid.relationships.map((r) => `${r.from} ${r.type} ${r.to} ${r.scope}`)).toEqual([
      `${identityId('alpha', 'ci')} CAN_ACCESS ${resourceId('alpha', 'db')} custom:alpha`,
    ]);
    expect(run.outcomes.map((o) => o.provider.name)).toEqual(['alpha', 'beta']);
    // Each summary counts its own provider only; the typed lookup gives the provider's own summary.
    expect(outcomeOf(run.outcomes, alpha)?.summary).toEqual({
      scopes: [{ id: 'custom:alpha', complete: true }],
      principals: 2,
      edges: { CAN_ACCESS: 1 },
      findings: {},
      issues: { error: 0, warning: 0, info: 0 },
    });
    expect(outcomeOf(run.outcomes, beta)?.summary.principals).toBe(1);
    expect(outcomeOf(run.outcomes, awsProvider)).toBeUndefined();
  });

  it('keeps one provider’s incomplete scope from the other’s', async () => {
    const run = await analyzeProviders([
      providerJob(alpha, { ...envA, broken: true }),
      providerJob(beta, envB),
    ]);
    expect(run.valid.inventory.scopes.map((s) => [s.id, s.complete])).toEqual([
      ['custom:alpha', false],
      ['custom:beta', true],
    ]);
    expect(run.issues).toEqual([{ severity: 'error', source: 'alpha/alpha', message: 'could not be read' }]);
  });

  it('rejects a provider asked for twice and a run with no provider', async () => {
    await expect(analyzeProviders([providerJob(alpha, envA), providerJob(alpha, envA)])).rejects.toThrow(
      'provider alpha is asked for twice in one run',
    );
    await expect(analyzeProviders([])).rejects.toThrow('no provider to collect');
  });

  it('rejects an inventory outside the provider’s declared kinds and scopes, naming the provider', async () => {
    const sloppy = { ...ledgerProvider('sloppy'), nodeKinds: ['CustomIdentity'] };
    await expect(analyzeProviders([providerJob(sloppy, envA)])).rejects.toThrow(
      /provider sloppy: .*node kind CustomResource is not among its node kinds/,
    );
    const trespassing = { ...ledgerProvider('trespassing'), scopePrefix: 'k8s' };
    await expect(analyzeProviders([providerJob(trespassing, envA)])).rejects.toThrow(
      /provider trespassing: .*scope custom:alpha .* is not a k8s: scope/,
    );
  });

  it('keeps a node two providers emit once, and rejects one id with two kinds', async () => {
    const shared = { ...envB, system: 'alpha', identities: ['ci'], resources: [], grants: [] };
    const gamma = ledgerProvider('gamma');
    const withScope = {
      ...gamma,
      inventory: (...args: Parameters<typeof gamma.inventory>) => ({
        ...gamma.inventory(...args),
        scopes: [{ id: 'custom:gamma', provider: 'custom' as const, complete: true }],
      }),
    };
    const run = await analyzeProviders([providerJob(alpha, envA), providerJob(withScope, shared)]);
    expect(run.valid.nodes.filter((n) => n.id === identityId('alpha', 'ci'))).toHaveLength(1);

    const clash = {
      ...withScope,
      inventory: (...args: Parameters<typeof gamma.inventory>) => {
        const inventory = withScope.inventory(...args);
        return { ...inventory, nodes: inventory.nodes.map((n) => ({ ...n, kind: 'CustomResource' })) };
      },
    };
    await expect(analyzeProviders([providerJob(alpha, envA), providerJob(clash, shared)])).rejects.toThrow(
      `node ${identityId('alpha', 'ci')} is a CustomIdentity for provider alpha but a CustomResource for provider gamma`,
    );
  });
});

describe('the cross-provider step', () => {
  it('sees the union of every provider and adds its edges to the run', async () => {
    const seen: { union?: CrossProviderUnion } = {};
    const run = await analyzeProviders([providerJob(alpha, envA), providerJob(beta, envB)], {
      crossProviderRules: createCrossProviderRegistry([joiningRule(seen)]),
    });
    expect(seen.union?.providers).toEqual(['alpha', 'beta']);
    expect(seen.union?.nodes.map((n) => n.id)).toContain(resourceId('beta', 'vault'));
    expect(seen.union?.nodes.map((n) => n.id)).toContain(identityId('alpha', 'ops'));
    expect(seen.union?.relationships).toHaveLength(1);
    expect(seen.union?.dataOf(beta)?.analysis.stats).toEqual({ grants: 0 });
    expect(run.crossProvider.ran).toEqual(['alpha-to-beta']);
    // A cross-provider edge is owned by the scope of its source, like any relationship.
    expect(run.valid.relationships.map((r) => `${r.from} ${r.type} ${r.to} ${r.scope}`)).toContain(
      `${identityId('alpha', 'ops')} CAN_ACCESS ${resourceId('beta', 'vault')} custom:alpha`,
    );
  });

  it('skips a rule whose providers are not all in the run', async () => {
    const seen: { union?: CrossProviderUnion } = {};
    const run = await analyzeProviders([providerJob(alpha, envA)], {
      crossProviderRules: [joiningRule(seen)],
    });
    expect(seen.union).toBeUndefined();
    expect(run.crossProvider.ran).toEqual([]);
  });

  it('records a failing rule as an error and leaves the scopes it joins incomplete', async () => {
    const failing: CrossProviderRule = {
      ...joiningRule(),
      derive: () => {
        throw new Error('boom');
      },
    };
    const run = await analyzeProviders([providerJob(alpha, envA), providerJob(beta, envB)], {
      crossProviderRules: [failing],
    });
    expect(run.issues).toContainEqual({
      severity: 'error',
      source: 'cross-provider:alpha-to-beta',
      message: 'cross-provider rule alpha-to-beta failed, its edges are missing: boom',
    });
    expect(run.valid.inventory.scopes.every((s) => !s.complete)).toBe(true);
  });

  it('rejects edges of a type the rule did not declare', async () => {
    const run = await analyzeProviders([providerJob(alpha, envA), providerJob(beta, envB)], {
      crossProviderRules: [{ ...joiningRule(), emits: ['FEDERATES_TO'] }],
    });
    expect(run.issues[0]?.message).toMatch(
      /emitted CAN_ACCESS, not among its declared types \(FEDERATES_TO\)/,
    );
    expect(run.crossProvider.edges).toEqual([]);
  });

  it('registry rejects duplicate names and single-provider rules', () => {
    expect(() => createCrossProviderRegistry([joiningRule(), joiningRule()])).toThrow(
      'cross-provider rule "alpha-to-beta" is registered twice',
    );
    expect(() => createCrossProviderRegistry([{ ...joiningRule(), requires: ['alpha', 'alpha'] }])).toThrow(
      'must join at least two providers',
    );
  });
});

describe('the provider registry', () => {
  const registry = createProviderRegistry([alpha, beta]);

  it('names providers in the order asked, and an unknown one lists the known ones', () => {
    expect(registry.named(['beta', 'alpha']).map((p) => p.name)).toEqual(['beta', 'alpha']);
    expect(() => registry.named(['alpha', 'gcp', 'kubernetes'])).toThrow(
      'unknown providers "gcp", "kubernetes" (known: alpha, beta)',
    );
    expect(() => PROVIDER_REGISTRY.named(['azure'])).toThrow(
      'unknown provider "azure" (known: aws, kubernetes, gcp)',
    );
  });

  it('finds the providers whose folder a snapshot root holds', () => {
    const root = join(work, 'root');
    mkdirSync(join(root, 'beta'), { recursive: true });
    mkdirSync(join(root, 'unrelated'), { recursive: true });
    expect(registry.inSnapshot(root).map((p) => p.name)).toEqual(['beta']);
    mkdirSync(join(root, 'alpha'));
    expect(registry.inSnapshot(root).map((p) => p.name)).toEqual(['alpha', 'beta']);
    const empty = join(work, 'empty');
    mkdirSync(empty);
    expect(() => registry.inSnapshot(empty)).toThrow(
      `${empty}: no provider folder in the snapshot root (looked for alpha/, beta/)`,
    );
    expect(() => registry.inSnapshot(join(work, 'nowhere'))).toThrow('the snapshot root is not a directory');
  });

  it('rejects two providers with one name or snapshot folder', () => {
    expect(() => createProviderRegistry([alpha, ledgerProvider('alpha')])).toThrow(
      'two providers share the name "alpha"',
    );
    expect(() => createProviderRegistry([alpha, { ...beta, snapshotLayout: alpha.snapshotLayout }])).toThrow(
      'two providers share the snapshot folder "alpha"',
    );
  });
});

describe('the AWS provider', () => {
  const config = loadConfig({ env: {} });

  it('runs the multi-account fixture within its declared kinds and scopes', async () => {
    const run = await analyzeProviders(
      providerJobs(PROVIDER_REGISTRY, [], { snapshotRoot: MULTI_ACCOUNT, options: {} }, config),
    );
    const aws = outcomeOf(run.outcomes, awsProvider);
    expect(aws?.source).toBe(`aws snapshot ${MULTI_ACCOUNT}`);
    expect(aws?.summary.accounts.length).toBeGreaterThan(1);
    expect(run.valid.inventory.scopes.every((s) => s.provider === 'aws')).toBe(true);
  });

  it('asks for live collection when no snapshot is given, and rejects live flags next to a snapshot', () => {
    const [job] = providerJobs(
      PROVIDER_REGISTRY,
      [],
      { live: true, options: { region: 'eu-west-1' } },
      config,
    );
    expect(job?.source).toBe('aws live');
    expect(() =>
      providerJobs(
        PROVIDER_REGISTRY,
        ['aws'],
        { snapshotRoot: 'snap', options: { profile: 'audit' } },
        config,
      ),
    ).toThrow('--snapshot reads a directory: --profile only apply to live collection');
  });

  it('owns up-to-date generated docs and an existing guide', () => {
    for (const provider of PROVIDER_REGISTRY.providers) {
      expect(readFileSync(join(packageRoot(), provider.docs.guide), 'utf8').length).toBeGreaterThan(0);
      for (const doc of provider.docs.generated)
        expect(
          readFileSync(join(packageRoot(), doc.path), 'utf8'),
          `${doc.path}: run npm run docs:generate`,
        ).toBe(doc.render());
    }
  });
});
